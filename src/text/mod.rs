//! Character classes and numerals shared by the cleaning and segmentation
//! stages.
//!
//! Everything here works on `char`s or `&str` slices and never allocates
//! unless it returns a `String`.

pub mod chars;
pub mod numeral;
pub mod traditional;

pub use chars::*;
pub use numeral::{parse_arabic, parse_chinese, parse_numeral};
pub use traditional::simplified;
