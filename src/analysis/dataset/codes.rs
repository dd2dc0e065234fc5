//! The answers to one choice question, one cell per story, in one byte per story.
//!
//! A cell is an index into the question's options, or no answer. A [`Codes`] column keeps each
//! cell in a `u8` (`u8::MAX` is "no answer") as long as every index is below 255: a project
//! with a million stories and some thirty choice columns (a multichoice question enters as one
//! yes/no column per option) then spends 32 MB on them rather than 128 MB as
//! `Vec<Option<u16>>`. The first index of 255 or more that is stored switches the column to two
//! bytes per story (`u16::MAX` is "no answer"), keeping every cell: nothing is ever truncated.
//! A derived question such as the month of telling can pass 254 levels after 21 years.
//!
//! Option indexes are `u16`, and a question never has 65,535 options, so the one index that
//! cannot be stored is `u16::MAX` itself: storing `Some(u16::MAX)` is a programming error. It
//! fails a `debug_assert!` in debug builds and is stored as "no answer" in release builds.

use super::pick;
use std::fmt;

/// A column of choice answers: per story, an option index or `None` (no answer).
///
/// Cells are read and written by value (`Option<u16>`). Equality is by the cells: a column
/// stored in one byte per story equals a column in two bytes with the same cells.
#[derive(Clone)]
pub struct Codes(Repr);

#[derive(Clone)]
enum Repr {
    /// One byte per story; `u8::MAX` is no answer. Every index is below 255.
    Narrow(Vec<u8>),
    /// Two bytes per story; `u16::MAX` is no answer.
    Wide(Vec<u16>),
}

const NARROW_NONE: u8 = u8::MAX;
const WIDE_NONE: u16 = u16::MAX;

/// A cell in one byte, or `None` when its index needs two.
fn to_narrow(cell: Option<u16>) -> Option<u8> {
    match cell {
        None => Some(NARROW_NONE),
        Some(index) => u8::try_from(index).ok().filter(|&b| b != NARROW_NONE),
    }
}

fn to_wide(cell: Option<u16>) -> u16 {
    debug_assert!(
        cell != Some(WIDE_NONE),
        "an option index of {WIDE_NONE} cannot be stored"
    );
    cell.unwrap_or(WIDE_NONE)
}

fn from_narrow(b: u8) -> Option<u16> {
    (b != NARROW_NONE).then_some(u16::from(b))
}

fn from_wide(w: u16) -> Option<u16> {
    (w != WIDE_NONE).then_some(w)
}

fn widen(b: u8) -> u16 {
    if b == NARROW_NONE {
        WIDE_NONE
    } else {
        u16::from(b)
    }
}

/// Whether every cell of a wide column fits in one byte.
fn fits_narrow(cells: &[u16]) -> bool {
    cells
        .iter()
        .all(|&w| w < u16::from(NARROW_NONE) || w == WIDE_NONE)
}

fn narrowed(cells: &[u16]) -> Vec<u8> {
    cells
        .iter()
        .map(|&w| if w == WIDE_NONE { NARROW_NONE } else { w as u8 })
        .collect()
}

impl Codes {
    /// An empty column.
    pub const fn new() -> Self {
        Codes(Repr::Narrow(Vec::new()))
    }

    /// An empty column with room for `n` cells of one byte.
    pub fn with_capacity(n: usize) -> Self {
        Codes(Repr::Narrow(Vec::with_capacity(n)))
    }

    /// A column of `n` cells without an answer.
    pub fn unanswered(n: usize) -> Self {
        Codes(Repr::Narrow(vec![NARROW_NONE; n]))
    }

    /// The number of cells (stories).
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Narrow(v) => v.len(),
            Repr::Wide(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cell of story `i`: `None` when it has no answer, and also when `i` is out of range.
    pub fn get(&self, i: usize) -> Option<u16> {
        match &self.0 {
            Repr::Narrow(v) => v.get(i).copied().and_then(from_narrow),
            Repr::Wide(v) => v.get(i).copied().and_then(from_wide),
        }
    }

    /// The cells in story order.
    pub fn iter(&self) -> Iter<'_> {
        match &self.0 {
            Repr::Narrow(v) => Iter(IterRepr::Narrow(v.iter())),
            Repr::Wide(v) => Iter(IterRepr::Wide(v.iter())),
        }
    }

    /// The cells as stored, for loops over whole columns that must not branch per cell on the
    /// representation: match once, then read the slice through [`Code`].
    pub fn dense(&self) -> Dense<'_> {
        match &self.0 {
            Repr::Narrow(v) => Dense::Narrow(v),
            Repr::Wide(v) => Dense::Wide(v),
        }
    }

    /// Whether the column takes two bytes per cell (an index of 255 or more was stored).
    pub fn is_wide(&self) -> bool {
        matches!(self.0, Repr::Wide(_))
    }

    /// Switches to two bytes per cell, keeping every cell.
    fn widen(&mut self) -> &mut Vec<u16> {
        if let Repr::Narrow(v) = &self.0 {
            let mut wide = Vec::with_capacity(v.capacity().max(v.len() + 1));
            wide.extend(v.iter().map(|&b| widen(b)));
            self.0 = Repr::Wide(wide);
        }
        match &mut self.0 {
            Repr::Wide(v) => v,
            Repr::Narrow(_) => unreachable!("just widened"),
        }
    }

    /// Appends a cell.
    pub fn push(&mut self, cell: Option<u16>) {
        if let Repr::Narrow(v) = &mut self.0 {
            if let Some(b) = to_narrow(cell) {
                v.push(b);
                return;
            }
        }
        self.widen().push(to_wide(cell));
    }

    /// Replaces the cell of story `i`.
    ///
    /// # Panics
    /// When `i` is out of range.
    pub fn set(&mut self, i: usize, cell: Option<u16>) {
        let len = self.len();
        assert!(i < len, "cell {i} of a column of {len}");
        if let Repr::Narrow(v) = &mut self.0 {
            if let Some(b) = to_narrow(cell) {
                v[i] = b;
                return;
            }
        }
        self.widen()[i] = to_wide(cell);
    }

    /// Inserts a cell at position `i`, shifting the later cells.
    ///
    /// # Panics
    /// When `i > len()`.
    pub fn insert(&mut self, i: usize, cell: Option<u16>) {
        let len = self.len();
        assert!(i <= len, "insertion at {i} in a column of {len}");
        if let Repr::Narrow(v) = &mut self.0 {
            if let Some(b) = to_narrow(cell) {
                v.insert(i, b);
                return;
            }
        }
        self.widen().insert(i, to_wide(cell));
    }

    /// Removes the cell at position `i` and returns it, shifting the later cells.
    ///
    /// # Panics
    /// When `i` is out of range.
    pub fn remove(&mut self, i: usize) -> Option<u16> {
        match &mut self.0 {
            Repr::Narrow(v) => from_narrow(v.remove(i)),
            Repr::Wide(v) => from_wide(v.remove(i)),
        }
    }

    /// Keeps only the cells where `keep` is true, in place; cells past the end of `keep` are
    /// not kept. Does not free memory: see [`Codes::shrink_to_fit`].
    pub fn retain_by(&mut self, keep: &[bool]) {
        fn retain<T>(values: &mut Vec<T>, keep: &[bool]) {
            let mut flags = keep.iter();
            values.retain(|_| flags.next().copied().unwrap_or(false));
        }
        match &mut self.0 {
            Repr::Narrow(v) => retain(v, keep),
            Repr::Wide(v) => retain(v, keep),
        }
    }

    /// A new column of the cells where `keep` is true; cells past the end of `keep` are not
    /// kept. In one byte per cell when they all fit.
    pub fn select(&self, keep: &[bool]) -> Codes {
        match &self.0 {
            Repr::Narrow(v) => Codes(Repr::Narrow(pick(v, keep))),
            Repr::Wide(v) => {
                let picked = pick(v, keep);
                if fits_narrow(&picked) {
                    Codes(Repr::Narrow(narrowed(&picked)))
                } else {
                    Codes(Repr::Wide(picked))
                }
            }
        }
    }

    /// Replaces every cell by `f` of it, in story order; switches to two bytes per cell when
    /// a new index needs it.
    pub fn map_in_place(&mut self, mut f: impl FnMut(Option<u16>) -> Option<u16>) {
        let mut from = 0;
        if let Repr::Narrow(v) = &mut self.0 {
            while from < v.len() {
                let cell = f(from_narrow(v[from]));
                match to_narrow(cell) {
                    Some(b) => v[from] = b,
                    None => {
                        let wide = self.widen();
                        wide[from] = to_wide(cell);
                        from += 1;
                        break;
                    }
                }
                from += 1;
            }
            if let Repr::Narrow(_) = self.0 {
                return;
            }
        }
        if let Repr::Wide(v) = &mut self.0 {
            for w in &mut v[from..] {
                *w = to_wide(f(from_wide(*w)));
            }
        }
    }

    /// Frees unused capacity, and returns to one byte per cell when every index fits again
    /// (after the stories with the high indexes were removed).
    pub fn shrink_to_fit(&mut self) {
        match &mut self.0 {
            Repr::Narrow(v) => v.shrink_to_fit(),
            Repr::Wide(v) => {
                if fits_narrow(v) {
                    self.0 = Repr::Narrow(narrowed(v));
                } else {
                    v.shrink_to_fit();
                }
            }
        }
    }

    /// Shuffles the cells between stories (the same permutation as `SliceRandom::shuffle` of a
    /// slice of this length with the same generator).
    pub fn shuffle<R: rand::Rng + ?Sized>(&mut self, rng: &mut R) {
        use rand::seq::SliceRandom;
        match &mut self.0 {
            Repr::Narrow(v) => v.shuffle(rng),
            Repr::Wide(v) => v.shuffle(rng),
        }
    }

    /// The bytes held on the heap (the capacity, not only the cells in use).
    pub fn heap_bytes(&self) -> usize {
        match &self.0 {
            Repr::Narrow(v) => v.capacity(),
            Repr::Wide(v) => v.capacity() * std::mem::size_of::<u16>(),
        }
    }
}

impl Default for Codes {
    fn default() -> Self {
        Codes::new()
    }
}

impl fmt::Debug for Codes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Codes {
    fn eq(&self, other: &Codes) -> bool {
        match (&self.0, &other.0) {
            (Repr::Narrow(a), Repr::Narrow(b)) => a == b,
            (Repr::Wide(a), Repr::Wide(b)) => a == b,
            _ => self.len() == other.len() && self.iter().eq(other.iter()),
        }
    }
}

impl Eq for Codes {}

impl PartialEq<[Option<u16>]> for Codes {
    fn eq(&self, other: &[Option<u16>]) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter().copied())
    }
}

impl PartialEq<&[Option<u16>]> for Codes {
    fn eq(&self, other: &&[Option<u16>]) -> bool {
        *self == **other
    }
}

impl<const N: usize> PartialEq<[Option<u16>; N]> for Codes {
    fn eq(&self, other: &[Option<u16>; N]) -> bool {
        *self == other[..]
    }
}

impl PartialEq<Vec<Option<u16>>> for Codes {
    fn eq(&self, other: &Vec<Option<u16>>) -> bool {
        *self == other[..]
    }
}

impl FromIterator<Option<u16>> for Codes {
    fn from_iter<I: IntoIterator<Item = Option<u16>>>(cells: I) -> Self {
        let cells = cells.into_iter();
        let mut codes = Codes::with_capacity(cells.size_hint().0);
        codes.extend(cells);
        codes
    }
}

impl Extend<Option<u16>> for Codes {
    fn extend<I: IntoIterator<Item = Option<u16>>>(&mut self, cells: I) {
        let mut cells = cells.into_iter();
        if let Repr::Narrow(v) = &mut self.0 {
            v.reserve(cells.size_hint().0);
            loop {
                let Some(cell) = cells.next() else {
                    return;
                };
                match to_narrow(cell) {
                    Some(b) => v.push(b),
                    None => {
                        self.push(cell);
                        break;
                    }
                }
            }
        }
        if let Repr::Wide(v) = &mut self.0 {
            v.reserve(cells.size_hint().0);
            v.extend(cells.map(to_wide));
        }
    }
}

impl From<Vec<Option<u16>>> for Codes {
    fn from(cells: Vec<Option<u16>>) -> Self {
        cells.into_iter().collect()
    }
}

impl From<&[Option<u16>]> for Codes {
    fn from(cells: &[Option<u16>]) -> Self {
        cells.iter().copied().collect()
    }
}

impl<const N: usize> From<[Option<u16>; N]> for Codes {
    fn from(cells: [Option<u16>; N]) -> Self {
        cells.into_iter().collect()
    }
}

impl<'a> IntoIterator for &'a Codes {
    type Item = Option<u16>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The cells of a [`Codes`] column in story order, by value.
#[derive(Clone, Debug)]
pub struct Iter<'a>(IterRepr<'a>);

#[derive(Clone, Debug)]
enum IterRepr<'a> {
    Narrow(std::slice::Iter<'a, u8>),
    Wide(std::slice::Iter<'a, u16>),
}

impl Iterator for Iter<'_> {
    type Item = Option<u16>;

    fn next(&mut self) -> Option<Option<u16>> {
        match &mut self.0 {
            IterRepr::Narrow(i) => i.next().map(|&b| from_narrow(b)),
            IterRepr::Wide(i) => i.next().map(|&w| from_wide(w)),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IterRepr::Narrow(i) => i.size_hint(),
            IterRepr::Wide(i) => i.size_hint(),
        }
    }

    fn nth(&mut self, n: usize) -> Option<Option<u16>> {
        match &mut self.0 {
            IterRepr::Narrow(i) => i.nth(n).map(|&b| from_narrow(b)),
            IterRepr::Wide(i) => i.nth(n).map(|&w| from_wide(w)),
        }
    }

    /// One match for the whole column rather than one per cell (`for_each`, `sum`, `count`
    /// and most adapters' consumers go through `fold`).
    fn fold<B, F: FnMut(B, Option<u16>) -> B>(self, init: B, mut f: F) -> B {
        match self.0 {
            IterRepr::Narrow(i) => i.fold(init, |acc, &b| f(acc, from_narrow(b))),
            IterRepr::Wide(i) => i.fold(init, |acc, &w| f(acc, from_wide(w))),
        }
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Option<u16>> {
        match &mut self.0 {
            IterRepr::Narrow(i) => i.next_back().map(|&b| from_narrow(b)),
            IterRepr::Wide(i) => i.next_back().map(|&w| from_wide(w)),
        }
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl std::iter::FusedIterator for Iter<'_> {}

/// The cells of a [`Codes`] column as stored (see [`Codes::dense`]).
#[derive(Clone, Copy, Debug)]
pub enum Dense<'a> {
    /// One byte per cell; [`Code::index`] reads them.
    Narrow(&'a [u8]),
    /// Two bytes per cell.
    Wide(&'a [u16]),
}

/// A stored cell of a [`Codes`] column: `u8` or `u16`, the maximum of the type being no answer.
pub trait Code: Copy + Send + Sync {
    /// The option index, or `None` for no answer.
    fn index(self) -> Option<usize>;
}

impl Code for u8 {
    #[inline]
    fn index(self) -> Option<usize> {
        (self != NARROW_NONE).then_some(usize::from(self))
    }
}

impl Code for u16 {
    #[inline]
    fn index(self) -> Option<usize> {
        (self != WIDE_NONE).then_some(usize::from(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SOME: [Option<u16>; 5] = [Some(0), None, Some(254), Some(3), None];

    #[test]
    fn cells_come_back_as_they_went_in() {
        let codes = Codes::from(SOME.to_vec());
        assert!(!codes.is_wide());
        assert_eq!(codes.len(), 5);
        assert_eq!(codes.iter().collect::<Vec<_>>(), SOME);
        assert_eq!(codes.iter().rev().collect::<Vec<_>>(), {
            let mut r = SOME.to_vec();
            r.reverse();
            r
        });
        for (i, cell) in SOME.iter().enumerate() {
            assert_eq!(codes.get(i), *cell);
        }
        assert_eq!(codes.get(5), None);
        assert_eq!(codes, SOME);
        assert_eq!(format!("{codes:?}"), format!("{SOME:?}"));
        assert!(Codes::new().is_empty() && Codes::default() == Codes::new());
    }

    #[test]
    fn an_index_of_255_switches_to_two_bytes_and_keeps_every_cell() {
        let mut codes: Codes = SOME.into_iter().collect();
        codes.push(Some(255));
        assert!(codes.is_wide());
        let mut expected = SOME.to_vec();
        expected.push(Some(255));
        assert_eq!(codes, expected);

        for (at, change) in [(0, "set"), (2, "insert"), (5, "map")] {
            let mut codes = Codes::from(SOME.to_vec());
            let mut expected = SOME.to_vec();
            match change {
                "set" => {
                    codes.set(at, Some(1000));
                    expected[at] = Some(1000);
                }
                "insert" => {
                    codes.insert(at, Some(300));
                    expected.insert(at, Some(300));
                }
                _ => {
                    codes.map_in_place(|c| c.map(|x| x + 1));
                    expected.iter_mut().for_each(|c| *c = c.map(|x| x + 1));
                }
            }
            assert!(codes.is_wide(), "{change}");
            assert_eq!(codes, expected, "{change}");
        }
    }

    #[test]
    fn narrow_and_wide_columns_with_the_same_cells_are_equal() {
        let narrow = Codes::from(SOME.to_vec());
        let mut wide = Codes::from(SOME.to_vec());
        wide.push(Some(400));
        wide.remove(5);
        assert!(wide.is_wide() && !narrow.is_wide());
        assert_eq!(narrow, wide);
        assert_eq!(wide, narrow);
        wide.set(1, Some(1));
        assert_ne!(narrow, wide);
        // Back to one byte when the high index is gone.
        let mut again = Codes::from(SOME.to_vec());
        again.push(Some(400));
        again.remove(5);
        again.shrink_to_fit();
        assert!(!again.is_wide());
        assert_eq!(again, narrow);
    }

    #[test]
    fn a_narrow_column_takes_one_byte_per_story() {
        let n: u16 = 1000;
        let mut codes: Codes = (0..n).map(|i| (i % 3 > 0).then_some(i % 200)).collect();
        codes.shrink_to_fit();
        assert_eq!(codes.heap_bytes(), usize::from(n));
        codes.push(Some(256));
        codes.shrink_to_fit();
        assert_eq!(codes.heap_bytes(), 2 * (usize::from(n) + 1));
    }

    #[test]
    fn dense_cells_read_as_the_column() {
        let mut codes = Codes::from(SOME.to_vec());
        let read = |codes: &Codes| -> Vec<Option<usize>> {
            match codes.dense() {
                Dense::Narrow(v) => v.iter().map(|c| c.index()).collect(),
                Dense::Wide(v) => v.iter().map(|c| c.index()).collect(),
            }
        };
        let expected: Vec<Option<usize>> = SOME.iter().map(|c| c.map(usize::from)).collect();
        assert_eq!(read(&codes), expected);
        codes.set(0, Some(700));
        let mut expected = expected;
        expected[0] = Some(700);
        assert_eq!(read(&codes), expected);
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "cannot be stored")]
    fn the_highest_index_is_refused() {
        Codes::new().push(Some(u16::MAX));
    }

    #[test]
    fn shuffling_permutes_the_cells_like_a_slice() {
        use rand::{seq::SliceRandom, SeedableRng};
        let cells: Vec<Option<u16>> = (0..50).map(|i| (i % 4 > 0).then_some(i)).collect();
        let mut codes = Codes::from(cells.clone());
        let mut vec = cells;
        codes.shuffle(&mut rand::rngs::StdRng::seed_from_u64(3));
        vec.shuffle(&mut rand::rngs::StdRng::seed_from_u64(3));
        assert_eq!(codes, vec);
    }

    fn cell() -> impl Strategy<Value = Option<u16>> {
        prop_oneof![
            3 => Just(None),
            6 => (0u16..10).prop_map(Some),
            2 => (250u16..260).prop_map(Some),
            1 => (0u16..u16::MAX).prop_map(Some),
        ]
    }

    #[derive(Debug, Clone)]
    enum Op {
        Push(Option<u16>),
        Set(usize, Option<u16>),
        Insert(usize, Option<u16>),
        Remove(usize),
        Retain(Vec<bool>),
        Select(Vec<bool>),
        Map(u16),
        Shrink,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            cell().prop_map(Op::Push),
            (any::<usize>(), cell()).prop_map(|(i, c)| Op::Set(i, c)),
            (any::<usize>(), cell()).prop_map(|(i, c)| Op::Insert(i, c)),
            any::<usize>().prop_map(Op::Remove),
            prop::collection::vec(any::<bool>(), 0..40).prop_map(Op::Retain),
            prop::collection::vec(any::<bool>(), 0..40).prop_map(Op::Select),
            (0u16..300).prop_map(Op::Map),
            Just(Op::Shrink),
        ]
    }

    proptest! {
        #[test]
        fn every_change_matches_the_same_change_on_a_vec(
            start in prop::collection::vec(cell(), 0..30),
            ops in prop::collection::vec(op(), 0..30),
        ) {
            let mut codes = Codes::from(start.clone());
            let mut vec = start;
            for op in ops {
                match op {
                    Op::Push(c) => {
                        codes.push(c);
                        vec.push(c);
                    }
                    Op::Set(i, c) if !vec.is_empty() => {
                        let i = i % vec.len();
                        codes.set(i, c);
                        vec[i] = c;
                    }
                    Op::Insert(i, c) => {
                        let i = i % (vec.len() + 1);
                        codes.insert(i, c);
                        vec.insert(i, c);
                    }
                    Op::Remove(i) if !vec.is_empty() => {
                        let i = i % vec.len();
                        prop_assert_eq!(codes.remove(i), vec.remove(i));
                    }
                    Op::Retain(keep) => {
                        codes.retain_by(&keep);
                        let mut flags = keep.iter();
                        vec.retain(|_| flags.next().copied().unwrap_or(false));
                    }
                    Op::Select(keep) => {
                        codes = codes.select(&keep);
                        vec = vec
                            .iter()
                            .zip(&keep)
                            .filter(|(_, k)| **k)
                            .map(|(c, _)| *c)
                            .collect();
                    }
                    Op::Map(shift) => {
                        let f = |c: Option<u16>| c.and_then(|x| {
                            let y = (x % 400) + shift;
                            (y % 7 != 0).then_some(y)
                        });
                        codes.map_in_place(f);
                        vec.iter_mut().for_each(|c| *c = f(*c));
                    }
                    Op::Shrink => codes.shrink_to_fit(),
                    _ => {}
                }
                prop_assert_eq!(codes.len(), vec.len());
                prop_assert_eq!(&codes, &vec);
                prop_assert_eq!(&codes, &Codes::from(vec.clone()));
                prop_assert_eq!(codes.iter().len(), vec.len());
                for (i, c) in vec.iter().enumerate() {
                    prop_assert_eq!(codes.get(i), *c);
                }
                // One byte per cell whenever every index fits, after shrinking.
                let fits = vec.iter().all(|c| c.is_none_or(|x| x < 255));
                let mut shrunk = codes.clone();
                shrunk.shrink_to_fit();
                prop_assert_eq!(shrunk.is_wide(), !fits);
            }
        }
    }
}
