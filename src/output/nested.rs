//! The nested JSON document (document → essays → sections as a tree).

use serde::Serialize;

use super::records::{DocumentRecord, Records, SectionRecord};

/// A document with its essays, each with its section tree.
#[derive(Serialize)]
pub struct NestedDocument<'a> {
    document: &'a DocumentRecord,
    essays: Vec<NestedEssay<'a>>,
}

#[derive(Serialize)]
struct NestedEssay<'a> {
    essay_no: u32,
    marker: Option<&'a str>,
    title: Option<&'a str>,
    text: &'a str,
    chars: u64,
    truncated: bool,
    sections: Vec<NestedSection<'a>>,
}

#[derive(Serialize)]
struct NestedSection<'a> {
    section_no: u32,
    level: u8,
    label: &'a str,
    number: u32,
    heading: &'a str,
    text: &'a str,
    chars: u64,
    children: Vec<NestedSection<'a>>,
}

fn tree<'a>(sections: &[&'a SectionRecord], parent: Option<u32>) -> Vec<NestedSection<'a>> {
    sections
        .iter()
        .filter(|s| s.parent_no == parent)
        .map(|s| NestedSection {
            section_no: s.section_no,
            level: s.level,
            label: &s.label,
            number: s.number,
            heading: &s.heading,
            text: &s.text,
            chars: s.chars,
            children: tree(sections, Some(s.section_no)),
        })
        .collect()
}

impl<'a> NestedDocument<'a> {
    /// Nests the records of one document.
    pub fn new(records: &'a Records) -> Self {
        let essays = records
            .essays
            .iter()
            .map(|e| {
                let own: Vec<&SectionRecord> = records.sections.iter().filter(|s| s.essay_no == e.essay_no).collect();
                NestedEssay {
                    essay_no: e.essay_no,
                    marker: e.marker.as_deref(),
                    title: e.title.as_deref(),
                    text: &e.text,
                    chars: e.chars,
                    truncated: e.truncated,
                    sections: tree(&own, None),
                }
            })
            .collect();
        Self { document: &records.document, essays }
    }
}
