//! Which patterns the pattern page lists, read from and written back to its URL: strong ones
//! or all, one question, one kind, an order and a page.
//!
//! Parameters (next to the story filters of [`super::filters`]): `alles=1`, `vraag=<key>`,
//! `soort=schuif-keuze|keuze-keuze|schuif-schuif|schuif-twee-keuzes`,
//! `volgorde=sterkte|q|verhalen`, `pagina=<n>`.

use crate::analysis::scan::Untested;
use crate::analysis::{Pattern, PatternKind};
use serde::Serialize;

/// How many patterns one page shows.
pub const PER_PAGE: usize = 20;

const KINDS: [(PatternKind, &str); 4] = [
    (PatternKind::SliderByChoice, "schuif-keuze"),
    (PatternKind::ChoiceByChoice, "keuze-keuze"),
    (PatternKind::SliderBySlider, "schuif-schuif"),
    (PatternKind::SliderByChoicePair, "schuif-twee-keuzes"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// Strongest first (then the smallest q): the order of the scan.
    #[default]
    Sterkte,
    /// Smallest q first: the surest first, however weak.
    Q,
    /// Most stories first.
    Verhalen,
}

impl Order {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "sterkte" => Some(Order::Sterkte),
            "q" => Some(Order::Q),
            "verhalen" => Some(Order::Verhalen),
            _ => None,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Order::Sterkte => "sterkte",
            Order::Q => "q",
            Order::Verhalen => "verhalen",
        }
    }
}

/// The list choices of one request of the pattern page.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ListQuery {
    /// Also patterns that are not strong.
    pub all: bool,
    /// Only patterns with this question (a key), empty for every question.
    pub question: String,
    /// Only this kind (its URL key), empty for every kind.
    pub kind: String,
    pub order: Order,
    /// 1-based.
    pub page: usize,
}

impl ListQuery {
    /// Reads the list choices; what is not understood falls back to the default.
    pub fn parse(query: &[(String, String)]) -> Self {
        let mut list = ListQuery {
            page: 1,
            ..ListQuery::default()
        };
        for (key, value) in query {
            match key.as_str() {
                "alles" => list.all = !value.is_empty(),
                "vraag" => list.question = value.chars().take(100).collect(),
                "soort" if KINDS.iter().any(|(_, k)| k == value) => list.kind = value.clone(),
                "volgorde" => list.order = Order::parse(value).unwrap_or_default(),
                "pagina" => list.page = value.parse().unwrap_or(1).max(1),
                _ => {}
            }
        }
        list
    }

    fn kind(&self) -> Option<PatternKind> {
        KINDS
            .iter()
            .find(|(_, k)| *k == self.kind)
            .map(|(kind, _)| *kind)
    }

    fn wants(&self, kind: PatternKind, questions: &[String]) -> bool {
        self.kind().is_none_or(|k| k == kind)
            && (self.question.is_empty() || questions.contains(&self.question))
    }

    /// The patterns to list, in the chosen order (before paging).
    pub fn select<'a>(&self, patterns: &'a [Pattern]) -> Vec<&'a Pattern> {
        let mut chosen: Vec<&Pattern> = patterns
            .iter()
            .filter(|p| (self.all || p.strong) && self.wants(p.kind, &p.questions))
            .collect();
        match self.order {
            // The scan's own order.
            Order::Sterkte => {}
            Order::Q => chosen.sort_by(|a, b| {
                a.q_value
                    .total_cmp(&b.q_value)
                    .then(b.strength.total_cmp(&a.strength))
            }),
            Order::Verhalen => {
                chosen.sort_by(|a, b| b.n.cmp(&a.n).then(b.strength.total_cmp(&a.strength)))
            }
        }
        chosen
    }

    /// The pairs the scan could not test, for the same question and kind.
    pub fn untested<'a>(&self, untested: &'a [Untested]) -> Vec<&'a Untested> {
        untested
            .iter()
            .filter(|u| self.wants(u.kind, &u.questions))
            .collect()
    }

    /// The list choices as URL pairs (defaults left out), without the page.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if self.all {
            pairs.push(("alles", "1".to_string()));
        }
        if !self.question.is_empty() {
            pairs.push(("vraag", self.question.clone()));
        }
        if !self.kind.is_empty() {
            pairs.push(("soort", self.kind.clone()));
        }
        if self.order != Order::default() {
            pairs.push(("volgorde", self.order.key().to_string()));
        }
        pairs
    }

    /// The URL kind key of a pattern kind.
    pub fn kind_key(kind: PatternKind) -> &'static str {
        KINDS
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or("", |(_, key)| key)
    }
}

/// One page of a list of `total` items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Page {
    /// 1-based, at most `pages`.
    pub number: usize,
    pub pages: usize,
    pub total: usize,
    /// 1-based position of the first item on this page (0 when there are none).
    pub first: usize,
    pub last: usize,
}

impl Page {
    pub fn of(total: usize, asked: usize) -> Self {
        let pages = total.div_ceil(PER_PAGE).max(1);
        let number = asked.clamp(1, pages);
        let start = (number - 1) * PER_PAGE;
        let last = (start + PER_PAGE).min(total);
        Page {
            number,
            pages,
            total,
            first: if total == 0 { 0 } else { start + 1 },
            last,
        }
    }

    /// The items of this page.
    pub fn slice<'a, T>(&self, items: &'a [T]) -> &'a [T] {
        let start = self.first.saturating_sub(1).min(items.len());
        &items[start..self.last.min(items.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::TestKind;

    fn pattern(kind: PatternKind, questions: &[&str], strength: f64, q: f64, n: usize) -> Pattern {
        Pattern {
            kind,
            questions: questions.iter().map(|q| q.to_string()).collect(),
            test: TestKind::KruskalWallis,
            statistic: 1.0,
            p_value: q,
            q_value: q,
            effect_size: strength * strength,
            strength,
            n,
            strong: q < 0.05 && strength >= 0.1,
            description: String::new(),
            groups: Vec::new(),
            cells: Vec::new(),
            descriptives: Default::default(),
        }
    }

    fn query(pairs: &[(&str, &str)]) -> ListQuery {
        ListQuery::parse(
            &pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>(),
        )
    }

    fn scan() -> Vec<Pattern> {
        vec![
            pattern(PatternKind::SliderByChoice, &["s", "c"], 0.5, 0.001, 100),
            pattern(PatternKind::ChoiceByChoice, &["c", "d"], 0.3, 0.0001, 300),
            pattern(PatternKind::SliderBySlider, &["s", "t"], 0.05, 0.5, 200),
        ]
    }

    #[test]
    fn strong_patterns_by_default_all_on_request() {
        let patterns = scan();
        assert_eq!(query(&[]).select(&patterns).len(), 2);
        assert_eq!(query(&[("alles", "1")]).select(&patterns).len(), 3);
    }

    #[test]
    fn question_and_kind_narrow_the_list() {
        let patterns = scan();
        let by_question = query(&[("alles", "1"), ("vraag", "s")]);
        assert_eq!(by_question.select(&patterns).len(), 2);
        let by_kind = query(&[("alles", "1"), ("soort", "keuze-keuze")]);
        let kinds: Vec<PatternKind> = by_kind.select(&patterns).iter().map(|p| p.kind).collect();
        assert_eq!(kinds, [PatternKind::ChoiceByChoice]);
        // An unknown kind is no filter at all, not an empty list.
        assert_eq!(query(&[("soort", "x")]).kind, "");
    }

    #[test]
    fn orders() {
        let patterns = scan();
        let order = |o: &str| -> Vec<usize> {
            query(&[("alles", "1"), ("volgorde", o)])
                .select(&patterns)
                .iter()
                .map(|p| p.n)
                .collect()
        };
        assert_eq!(order("sterkte"), [100, 300, 200]);
        assert_eq!(order("q"), [300, 100, 200]);
        assert_eq!(order("verhalen"), [300, 200, 100]);
    }

    #[test]
    fn pages_cover_every_item_once() {
        let items: Vec<usize> = (0..45).collect();
        let mut seen = Vec::new();
        for number in 1..=3 {
            let page = Page::of(items.len(), number);
            assert_eq!(page.pages, 3);
            seen.extend_from_slice(page.slice(&items));
        }
        assert_eq!(seen, items);
        // A page past the end shows the last one; an empty list has one empty page.
        assert_eq!(Page::of(45, 9).number, 3);
        let empty = Page::of(0, 1);
        assert_eq!((empty.pages, empty.first, empty.last), (1, 0, 0));
        assert!(empty.slice(&items[..0]).is_empty());
    }

    #[test]
    fn pairs_round_trip() {
        let list = query(&[
            ("alles", "1"),
            ("vraag", "s"),
            ("soort", "schuif-schuif"),
            ("volgorde", "q"),
            ("pagina", "2"),
        ]);
        let again = ListQuery::parse(
            &list
                .pairs()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect::<Vec<_>>(),
        );
        assert_eq!(again, ListQuery { page: 1, ..list });
    }
}
