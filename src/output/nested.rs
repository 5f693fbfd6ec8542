//! The nested JSON document (document → essays → sections as a tree).

use std::collections::HashMap;

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

/// The section trees of an essay's sections (in document order), built
/// from child lists made in one pass: filtering every section for every
/// parent would be quadratic in a document of many thousand sections.
fn forest<'a>(sections: &[&'a SectionRecord]) -> Vec<NestedSection<'a>> {
    let position: HashMap<u32, usize> = sections.iter().enumerate().map(|(i, s)| (s.section_no, i)).collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); sections.len()];
    let mut roots = Vec::new();
    for (i, s) in sections.iter().enumerate() {
        match s.parent_no.and_then(|p| position.get(&p)) {
            Some(&parent) => children[parent].push(i),
            // Parents are sections of the same essay; a stray one has no place.
            None if s.parent_no.is_none() => roots.push(i),
            None => {}
        }
    }
    roots.iter().map(|&i| node(sections, &children, i)).collect()
}

fn node<'a>(sections: &[&'a SectionRecord], children: &[Vec<usize>], i: usize) -> NestedSection<'a> {
    let s = sections[i];
    NestedSection {
        section_no: s.section_no,
        level: s.level,
        label: &s.label,
        number: s.number,
        heading: &s.heading,
        text: &s.text,
        chars: s.chars,
        children: children[i].iter().map(|&c| node(sections, children, c)).collect(),
    }
}

impl<'a> NestedDocument<'a> {
    /// Nests the records of one document.
    pub fn new(records: &'a Records) -> Self {
        let mut by_essay: HashMap<u32, Vec<&SectionRecord>> = HashMap::new();
        for s in &records.sections {
            by_essay.entry(s.essay_no).or_default().push(s);
        }
        let essays = records
            .essays
            .iter()
            .map(|e| {
                let own = by_essay.get(&e.essay_no).map_or(&[][..], Vec::as_slice);
                NestedEssay {
                    essay_no: e.essay_no,
                    marker: e.marker.as_deref(),
                    title: e.title.as_deref(),
                    text: &e.text,
                    chars: e.chars,
                    truncated: e.truncated,
                    sections: forest(own),
                }
            })
            .collect();
        Self { document: &records.document, essays }
    }
}
