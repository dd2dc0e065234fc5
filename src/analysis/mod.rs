//! The analysis engine (patroonevaluatie): pure functions over numbers, no HTTP and no SQL.
//!
//! Statistics are used here to find what deviates, not as evidence. Every statistic follows the
//! definition of its scipy counterpart (named in each function's documentation) and is tested
//! against reference values computed with scipy (`tests/fixtures/` holds only the numbers).

pub mod compare;
pub mod counted;
pub mod dataset;
pub mod describe;
pub mod descriptives;
pub mod figures;
pub mod hypothesis;
pub mod numbers;
pub mod ranks;
pub mod scan;
pub mod sides;
pub mod synthetic;
pub mod typical;

pub use compare::{
    compare, compare_with_reference, ChoiceComparison, CompareSettings, Comparison,
    NumberComparison, OptionComparison, Reference, UntestedQuestion,
};
pub use dataset::{Codes, Condition, Dataset, OptionLabel, ScanUse, UnknownCondition, Variable};
pub use descriptives::{Descriptives, Histogram};
pub use hypothesis::{
    benjamini_hochberg, chi_square, kruskal_wallis, mann_whitney_u, spearman, ChiSquare, GroupTest,
    Spearman,
};
pub use scan::{scan, Pattern, PatternKind, Scan, ScanSettings, TestKind};
