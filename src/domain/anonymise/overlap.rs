//! Deciding between overlapping candidates. The detectors propose spans without regard to each
//! other; [`resolve`] turns them into the sorted, non-overlapping [`Redaction`]s that `find`
//! returns. The higher priority wins, then the longer span; a candidate that sticks out of a
//! kept span is merged into it, so that no part of it stays visible.

use std::collections::BTreeMap;

use super::{Cand, Kind, Redaction};

/// Higher priority first, then longer first. A candidate inside a kept span is dropped; one
/// that sticks out of kept spans is merged with them into one span (with the kind of the
/// higher priority), so that no part of it stays visible. Kept spans never overlap, so they
/// are held by start and only the neighbours of a candidate are looked at.
pub(super) fn resolve(mut cands: Vec<Cand>) -> Vec<Redaction> {
    cands.retain(|c| c.end > c.start);
    cands.sort_by(|a, b| {
        b.prio
            .cmp(&a.prio)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
    });
    // start → (end, kind, prio)
    let mut kept: BTreeMap<usize, (usize, Kind, u8)> = BTreeMap::new();
    for c in cands {
        let overlapping: Vec<usize> = kept
            .range(..c.end)
            .rev()
            .take_while(|(_, (end, _, _))| *end > c.start)
            .map(|(start, _)| *start)
            .collect();
        if overlapping.is_empty() {
            kept.insert(c.start, (c.end, c.kind, c.prio));
            continue;
        }
        if let [only] = overlapping[..] {
            if only <= c.start && kept[&only].0 >= c.end {
                continue; // inside a kept span
            }
        }
        let (mut start, mut end, mut kind, mut prio) = (c.start, c.end, c.kind, c.prio);
        for s in overlapping {
            if let Some((e, k, p)) = kept.remove(&s) {
                start = start.min(s);
                end = end.max(e);
                if p >= prio {
                    kind = k;
                    prio = p;
                }
            }
        }
        kept.insert(start, (end, kind, prio));
    }
    kept.into_iter()
        .map(|(start, (end, kind, _))| Redaction { start, end, kind })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::anonymise::{
        anonymise, find, redact, ExtraTerms, PRIO_ADDRESS, PRIO_DATE, PRIO_NAME,
    };

    #[test]
    fn overlaps_are_resolved() {
        // a name inside an e-mail address: one span
        assert_eq!(
            anonymise("mail Sanne.Jansen@gmail.com", &ExtraTerms::none()),
            "mail [e-mail]"
        );
        // a phone number inside a URL
        assert_eq!(
            anonymise("zie voorbeeld.nl/0612345678 nu", &ExtraTerms::none()),
            "zie [url] nu"
        );
        // partial overlap widens the kept span
        let r = resolve(vec![
            Cand::new(0, 10, Kind::Adres, PRIO_ADDRESS),
            Cand::new(5, 15, Kind::Naam, PRIO_NAME),
            Cand::new(20, 25, Kind::Naam, PRIO_NAME),
            Cand::new(21, 23, Kind::Datum, PRIO_DATE),
        ]);
        assert_eq!(
            r,
            vec![
                Redaction {
                    start: 0,
                    end: 15,
                    kind: Kind::Adres
                },
                Redaction {
                    start: 20,
                    end: 25,
                    kind: Kind::Datum
                },
            ]
        );
        // spans are sorted and never overlap
        let text = "Mijn zoon Daan (06-12345678), Kerkstraat 12, 1234 AB, geboren 1-2-2010.";
        let spans = find(text, &ExtraTerms::none());
        for w in spans.windows(2) {
            assert!(w[0].end <= w[1].start, "{spans:?}");
        }
        assert_eq!(
            redact(text, &spans),
            "Mijn zoon [naam] ([telefoon]), [adres], geboren [datum]."
        );
    }
}
