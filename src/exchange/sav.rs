//! SPSS system files (`.sav`), written as the rows come, to the layout documented in the PSPP
//! manual's appendix "System File Format".
//!
//! What a file holds, in order: the file header; one variable record per variable (a text
//! variable wider than 8 bytes takes one continuation record per further 8 bytes); a value
//! label record pair (types 3 and 4) per variable with value labels; the machine integer and
//! floating point records (type 7, subtypes 3 and 4); display parameters (subtype 11: measure,
//! width, alignment); long variable names (subtype 13); the character encoding, always
//! `UTF-8` (subtype 20); the dictionary terminator (type 999); then the cases.
//!
//! Choices:
//! - **Compression**: bytecode ("SAV") compression by default: answers are mostly small whole
//!   numbers, which take one byte instead of eight. [`Compression::None`] writes plain cases.
//! - **Case count**: the header says -1 (unknown, which SPSS, PSPP and ReadStat accept), because
//!   rows are streamed; [`SavWriter::finish_seekable`] writes the real count when the output
//!   can seek back (a file), [`SavWriter::finish`] leaves -1 (a response body).
//! - **Text**: UTF-8; a text variable's width counts bytes (1 to 255, no very long strings),
//!   values are cut at a character boundary to fit. Variable labels are cut to 255 bytes and
//!   value labels to 120 bytes, the limits SPSS documents.
//! - **Names**: ASCII, as [`check_name`] describes; [`NameMaker`] turns keys into such names.
//!   The 8-byte short names the format also needs are derived from them.
//!
//! Memory use does not grow with the number of rows: output goes through a 64 KiB buffer.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::{Seek, SeekFrom, Write};
use time::OffsetDateTime;

/// Longest name SPSS accepts, in bytes.
pub const MAX_NAME_LEN: usize = 64;
/// Widest text variable written; wider ones would need SPSS's "very long string" records.
pub const MAX_TEXT_WIDTH: u16 = 255;
pub const MAX_VARIABLE_LABEL_LEN: usize = 255;
pub const MAX_VALUE_LABEL_LEN: usize = 120;
pub const MAX_DECIMALS: u8 = 16;

/// SPSS reserved words: never usable as variable names.
const RESERVED: [&str; 13] = [
    "ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH",
];

/// The system-missing value: the most negative finite double.
const SYSMIS: f64 = -f64::MAX;
/// Offset of the case count in the file header.
const CASE_COUNT_OFFSET: u64 = 80;
/// Compression bias: bytecode `c` in 1..=251 stands for the number `c - BIAS`.
const BIAS: f64 = 100.0;
const FLUSH_AT: usize = 64 * 1024;
/// Julian day number of 14 October 1582, the epoch of SPSS dates.
const SPSS_EPOCH_JULIAN_DAY: i32 = 2_299_160;

#[derive(Debug, thiserror::Error)]
pub enum SavError {
    #[error("writing the SPSS file failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("an SPSS file needs at least one variable")]
    NoVariables,
    #[error("{0:?} is not a valid SPSS variable name: {1}")]
    InvalidName(String, &'static str),
    #[error("variable name {0:?} is used twice (SPSS names ignore case)")]
    DuplicateName(String),
    #[error("variable {0}: text width {1} is outside 1..={MAX_TEXT_WIDTH}")]
    TextWidth(String, u16),
    #[error("variable {0}: {1} decimals, at most {MAX_DECIMALS}")]
    Decimals(String, u8),
    #[error("variable {0}: a text variable cannot have the scale measurement level")]
    ScaleText(String),
    #[error("variable {0}: value labels and missing codes are for numeric variables only")]
    NotNumeric(String),
    #[error("variable {0}: {1}")]
    InvalidMissing(String, &'static str),
    #[error("variable {0}: value {1} is labelled twice")]
    DuplicateValueLabel(String, f64),
    #[error("variable {0}: {1} is not a finite number")]
    NotFinite(String, f64),
    #[error("too many variables for one SPSS file")]
    TooManyVariables,
    #[error("a row has {got} values for {expected} variables")]
    RowLength { got: usize, expected: usize },
    #[error("variable {name}: expected {expected}, got {got}")]
    ValueKind {
        name: String,
        expected: &'static str,
        got: &'static str,
    },
}

/// The measurement level SPSS shows and uses to pick procedures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Nominal,
    Ordinal,
    Scale,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A number printed with `decimals` decimals (format F).
    Numeric { decimals: u8 },
    /// A calendar day (format DATE11, e.g. `22-NOV-2026`); values are [`Value::Date`].
    Date,
    /// Text of at most `width` bytes of UTF-8, 1..=255 (format A).
    Text { width: u16 },
}

/// User-missing values of a numeric variable: codes that are valid data to SPSS's eye but
/// left out of analyses. SPSS allows three discrete codes, or one range and one code.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Missing {
    #[default]
    None,
    /// One to three codes.
    Codes(Vec<f64>),
    /// `low..=high`, and optionally one code outside it.
    Range {
        low: f64,
        high: f64,
        also: Option<f64>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    /// See [`check_name`]; unique in the file regardless of case.
    pub name: String,
    /// Shown by SPSS instead of the name; empty for none.
    pub label: String,
    pub kind: Kind,
    pub measure: Measure,
    /// Labels of codes; numeric variables only.
    pub value_labels: Vec<(f64, String)>,
    /// Numeric variables only.
    pub missing: Missing,
}

/// One cell of a row. `SystemMissing` is an empty cell: no value at all (for text, blanks).
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Number(f64),
    Date(time::Date),
    Text(Cow<'a, str>),
    SystemMissing,
}

impl<'a> Value<'a> {
    pub fn text(s: impl Into<Cow<'a, str>>) -> Self {
        Value::Text(s.into())
    }

    fn describe(&self) -> &'static str {
        match self {
            Value::Number(_) => "a number",
            Value::Date(_) => "a date",
            Value::Text(_) => "text",
            Value::SystemMissing => "system-missing",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compression {
    None,
    #[default]
    Bytecode,
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub compression: Compression,
    /// The creation time in the header; `None` is now.
    pub created: Option<OffsetDateTime>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            compression: Compression::Bytecode,
            created: None,
        }
    }
}

/// Checks the names this writer accepts: 1 to 64 ASCII bytes, a letter first, then letters,
/// digits and `_ . $ # @`, not ending in `.` or `_` (SPSS's own variables may end in `_`),
/// and not a reserved word (`ALL`, `AND`, `BY`, `TO`, …). SPSS would take non-ASCII letters
/// too, but the other tools researchers use (R, Stata, pandas) are happier without.
pub fn check_name(name: &str) -> Result<(), SavError> {
    let invalid = |why| Err(SavError::InvalidName(name.to_string(), why));
    let Some(first) = name.bytes().next() else {
        return invalid("it is empty");
    };
    if name.len() > MAX_NAME_LEN {
        return invalid("it is longer than 64 bytes");
    }
    if !first.is_ascii_alphabetic() {
        return invalid("it must start with a letter");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"_.$#@".contains(&b))
    {
        return invalid("only letters, digits and _ . $ # @ may follow the first letter");
    }
    if name.ends_with('.') || name.ends_with('_') {
        return invalid("it may not end in . or _");
    }
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(name)) {
        return invalid("it is a reserved word");
    }
    Ok(())
}

/// Makes valid, unique SPSS names from keys such as `juiste_hulp` or `wie_betrokken.school`:
/// characters other than ASCII letters, digits and `_` become `_` (so `wie_betrokken_school`),
/// a key that does not start with a letter or is a reserved word gets `v_` in front, and a name
/// already given (in any case) gets `_2`, `_3`, … Names are cut to 64 bytes.
#[derive(Debug, Default, Clone)]
pub struct NameMaker {
    taken: HashSet<String>,
}

impl NameMaker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks a name as used, for names chosen elsewhere (`id`, `created_at`, …).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_ascii_lowercase());
    }

    pub fn make(&mut self, key: &str) -> String {
        let mapped: String = key
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let mapped = mapped.trim_end_matches('_');
        let mut base = match mapped.bytes().next() {
            None => "v".to_string(),
            Some(b) if !b.is_ascii_alphabetic() => {
                format!("v_{}", mapped.trim_start_matches('_'))
            }
            Some(_) if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(mapped)) => {
                format!("v_{mapped}")
            }
            Some(_) => mapped.to_string(),
        };
        base.truncate(MAX_NAME_LEN);
        let base = base.trim_end_matches('_');
        let mut name = base.to_string();
        let mut n = 2;
        while self.taken.contains(&name.to_ascii_lowercase()) {
            let suffix = format!("_{n}");
            let stem = base[..base.len().min(MAX_NAME_LEN - suffix.len())].trim_end_matches('_');
            name = format!("{stem}{suffix}");
            n += 1;
        }
        self.taken.insert(name.to_ascii_lowercase());
        name
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends at a character boundary.
pub fn truncate_at_char(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// An SPSS date: seconds since midnight 14 October 1582.
pub fn spss_date(date: time::Date) -> f64 {
    f64::from(date.to_julian_day() - SPSS_EPOCH_JULIAN_DAY) * 86_400.0
}

/// How one variable is laid out in a case.
#[derive(Debug, Clone)]
struct Slot {
    name: String,
    kind: Kind,
}

impl Slot {
    /// Number of 8-byte segments the variable takes in a case.
    fn segments(&self) -> usize {
        match self.kind {
            Kind::Text { width } => usize::from(width).div_ceil(8),
            _ => 1,
        }
    }
}

/// Writes a `.sav` file row by row. Nothing is complete before [`finish`](Self::finish) or
/// [`finish_seekable`](Self::finish_seekable).
pub struct SavWriter<W: Write> {
    out: W,
    buf: Vec<u8>,
    slots: Vec<Slot>,
    compression: Compression,
    /// Bytecode compression: the pending block of 8 codes and the raw values that follow it.
    codes: [u8; 8],
    n_codes: usize,
    raw: Vec<u8>,
    cases: u64,
    /// Bytes handed to `out` so far, to find the header again when seeking back.
    written: u64,
}

impl<W: Write> SavWriter<W> {
    /// Writes the dictionary with bytecode compression and the current time.
    pub fn new(out: W, file_label: &str, variables: &[Variable]) -> Result<Self, SavError> {
        Self::with_options(out, file_label, variables, Options::default())
    }

    pub fn with_options(
        out: W,
        file_label: &str,
        variables: &[Variable],
        options: Options,
    ) -> Result<Self, SavError> {
        validate(variables)?;
        let mut writer = SavWriter {
            out,
            buf: Vec::with_capacity(FLUSH_AT + 1024),
            slots: variables
                .iter()
                .map(|v| Slot {
                    name: v.name.clone(),
                    kind: v.kind,
                })
                .collect(),
            compression: options.compression,
            codes: [0; 8],
            n_codes: 0,
            raw: Vec::with_capacity(64),
            cases: 0,
            written: 0,
        };
        let created = options.created.unwrap_or_else(OffsetDateTime::now_utc);
        write_dictionary(
            &mut writer.buf,
            file_label,
            variables,
            &created,
            options.compression,
        )?;
        writer.flush_buf()?;
        Ok(writer)
    }

    /// Appends one case: a value for every variable, in the order of the variables.
    pub fn write_row(&mut self, row: &[Value]) -> Result<(), SavError> {
        if row.len() != self.slots.len() {
            return Err(SavError::RowLength {
                got: row.len(),
                expected: self.slots.len(),
            });
        }
        // Checked before anything is written, so that a refused row leaves no half case.
        for (slot, value) in self.slots.iter().zip(row) {
            let fits = match (slot.kind, value) {
                (_, Value::SystemMissing) => true,
                (Kind::Numeric { .. }, Value::Number(x)) => {
                    if !x.is_finite() {
                        return Err(SavError::NotFinite(slot.name.clone(), *x));
                    }
                    true
                }
                (Kind::Date, Value::Date(_)) | (Kind::Text { .. }, Value::Text(_)) => true,
                _ => false,
            };
            if !fits {
                return Err(SavError::ValueKind {
                    name: slot.name.clone(),
                    expected: match slot.kind {
                        Kind::Numeric { .. } => "a number",
                        Kind::Date => "a date",
                        Kind::Text { .. } => "text",
                    },
                    got: value.describe(),
                });
            }
        }
        for (i, value) in row.iter().enumerate() {
            match (value, self.slots[i].kind) {
                (Value::Number(x), _) => self.put_number(*x),
                (Value::Date(d), _) => self.put_number(spss_date(*d)),
                (Value::SystemMissing, Kind::Text { width }) => self.put_text("", width),
                (Value::SystemMissing, _) => self.put_number(SYSMIS),
                (Value::Text(s), Kind::Text { width }) => self.put_text(s, width),
                (Value::Text(_), _) => {}
            }
        }
        self.cases += 1;
        if self.buf.len() >= FLUSH_AT {
            self.flush_buf()?;
        }
        Ok(())
    }

    /// Number of rows written so far.
    pub fn cases(&self) -> u64 {
        self.cases
    }

    /// Completes the file and returns the output. The header keeps the case count -1
    /// (unknown); see [`finish_seekable`](Self::finish_seekable) for the real count.
    pub fn finish(mut self) -> Result<W, SavError> {
        self.end_data()?;
        Ok(self.out)
    }

    fn end_data(&mut self) -> Result<(), SavError> {
        if self.n_codes > 0 {
            // Code 0 is padding that readers skip.
            self.codes[self.n_codes..].fill(0);
            self.n_codes = 8;
            self.flush_block();
        }
        self.flush_buf()?;
        self.out.flush()?;
        Ok(())
    }

    fn flush_buf(&mut self) -> Result<(), SavError> {
        self.out.write_all(&self.buf)?;
        self.written += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }

    fn put_number(&mut self, x: f64) {
        match self.compression {
            Compression::None => self.buf.extend_from_slice(&x.to_le_bytes()),
            Compression::Bytecode => {
                if x == SYSMIS {
                    self.put_code(255, None);
                } else if x.fract() == 0.0 && (-99.0..=151.0).contains(&x) {
                    // In range, so the cast is exact.
                    self.put_code((x + BIAS) as u8, None);
                } else {
                    self.put_code(253, Some(x.to_le_bytes()));
                }
            }
        }
    }

    fn put_text(&mut self, s: &str, width: u16) {
        let bytes = truncate_at_char(s, usize::from(width)).as_bytes();
        let segments = usize::from(width).div_ceil(8);
        for i in 0..segments {
            let mut segment = [b' '; 8];
            let start = (i * 8).min(bytes.len());
            let end = (start + 8).min(bytes.len());
            segment[..end - start].copy_from_slice(&bytes[start..end]);
            match self.compression {
                Compression::None => self.buf.extend_from_slice(&segment),
                Compression::Bytecode if segment == [b' '; 8] => self.put_code(254, None),
                Compression::Bytecode => self.put_code(253, Some(segment)),
            }
        }
    }

    fn put_code(&mut self, code: u8, raw: Option<[u8; 8]>) {
        self.codes[self.n_codes] = code;
        self.n_codes += 1;
        if let Some(raw) = raw {
            self.raw.extend_from_slice(&raw);
        }
        if self.n_codes == 8 {
            self.flush_block();
        }
    }

    fn flush_block(&mut self) {
        self.buf.extend_from_slice(&self.codes);
        self.buf.extend_from_slice(&self.raw);
        self.raw.clear();
        self.n_codes = 0;
    }
}

impl<W: Write + Seek> SavWriter<W> {
    /// Completes the file and writes the number of cases into the header (left at -1 past
    /// `i32::MAX` cases), then leaves the output positioned at the end.
    pub fn finish_seekable(mut self) -> Result<W, SavError> {
        self.end_data()?;
        if let Ok(count) = i32::try_from(self.cases) {
            let end = self.out.stream_position()?;
            let start = end - self.written;
            self.out.seek(SeekFrom::Start(start + CASE_COUNT_OFFSET))?;
            self.out.write_all(&count.to_le_bytes())?;
            self.out.seek(SeekFrom::Start(end))?;
            self.out.flush()?;
        }
        Ok(self.out)
    }
}

fn validate(variables: &[Variable]) -> Result<(), SavError> {
    if variables.is_empty() {
        return Err(SavError::NoVariables);
    }
    let mut seen = HashSet::new();
    let mut segments = 0usize;
    for v in variables {
        check_name(&v.name)?;
        if !seen.insert(v.name.to_ascii_lowercase()) {
            return Err(SavError::DuplicateName(v.name.clone()));
        }
        let numeric = matches!(v.kind, Kind::Numeric { .. });
        match v.kind {
            Kind::Numeric { decimals } if decimals > MAX_DECIMALS => {
                return Err(SavError::Decimals(v.name.clone(), decimals));
            }
            Kind::Text { width } if width == 0 || width > MAX_TEXT_WIDTH => {
                return Err(SavError::TextWidth(v.name.clone(), width));
            }
            Kind::Text { .. } if v.measure == Measure::Scale => {
                return Err(SavError::ScaleText(v.name.clone()));
            }
            _ => {}
        }
        if !numeric && (!v.value_labels.is_empty() || v.missing != Missing::None) {
            return Err(SavError::NotNumeric(v.name.clone()));
        }
        let mut labelled = Vec::with_capacity(v.value_labels.len());
        for &(value, _) in &v.value_labels {
            if !value.is_finite() {
                return Err(SavError::NotFinite(v.name.clone(), value));
            }
            if labelled.contains(&value) {
                return Err(SavError::DuplicateValueLabel(v.name.clone(), value));
            }
            labelled.push(value);
        }
        let missing_values: Vec<f64> = match &v.missing {
            Missing::None => vec![],
            Missing::Codes(codes) => {
                if codes.is_empty() || codes.len() > 3 {
                    return Err(SavError::InvalidMissing(
                        v.name.clone(),
                        "one to three missing codes are allowed",
                    ));
                }
                codes.clone()
            }
            Missing::Range { low, high, also } => {
                if low > high {
                    return Err(SavError::InvalidMissing(
                        v.name.clone(),
                        "the missing range ends below its start",
                    ));
                }
                [*low, *high].into_iter().chain(*also).collect()
            }
        };
        if let Some(bad) = missing_values.iter().find(|x| !x.is_finite()) {
            return Err(SavError::NotFinite(v.name.clone(), *bad));
        }
        segments += Slot {
            name: String::new(),
            kind: v.kind,
        }
        .segments();
    }
    if i32::try_from(segments).is_err() {
        return Err(SavError::TooManyVariables);
    }
    Ok(())
}

fn put_i32(buf: &mut Vec<u8>, x: i32) {
    buf.extend_from_slice(&x.to_le_bytes());
}

fn put_f64(buf: &mut Vec<u8>, x: f64) {
    buf.extend_from_slice(&x.to_le_bytes());
}

/// `s` cut to `len` bytes at a character boundary and padded with spaces to exactly `len`.
fn put_padded(buf: &mut Vec<u8>, s: &str, len: usize) {
    let s = truncate_at_char(s, len);
    buf.extend_from_slice(s.as_bytes());
    buf.resize(buf.len() + len - s.len(), b' ');
}

/// A print or write format: type, width and decimals packed in one integer.
fn format_spec(kind: Kind) -> i32 {
    let (format_type, width, decimals) = match kind {
        // F with room for the decimals; SPSS's default F8.2 for two.
        Kind::Numeric { decimals } => (5, 8.max(i32::from(decimals) + 3), i32::from(decimals)),
        Kind::Date => (20, 11, 0),
        Kind::Text { width } => (1, i32::from(width), 0),
    };
    (format_type << 16) | (width << 8) | decimals
}

/// Unique 8-byte upper-case names, required beside the long names by the format.
fn short_names(variables: &[Variable]) -> Vec<String> {
    let mut taken = HashSet::new();
    variables
        .iter()
        .map(|v| {
            let upper = v.name.to_ascii_uppercase();
            let mut short = upper[..upper.len().min(8)].to_string();
            let mut n = 1;
            while !taken.insert(short.clone()) {
                let suffix = format!("_{n}");
                short = format!("{}{suffix}", &upper[..upper.len().min(8 - suffix.len())]);
                n += 1;
            }
            short
        })
        .collect()
}

/// Type 7 record header: subtype, element size, element count.
fn put_info_header(
    buf: &mut Vec<u8>,
    subtype: i32,
    size: i32,
    count: usize,
) -> Result<(), SavError> {
    let count = i32::try_from(count).map_err(|_| SavError::TooManyVariables)?;
    put_i32(buf, 7);
    put_i32(buf, subtype);
    put_i32(buf, size);
    put_i32(buf, count);
    Ok(())
}

fn write_dictionary(
    buf: &mut Vec<u8>,
    file_label: &str,
    variables: &[Variable],
    created: &OffsetDateTime,
    compression: Compression,
) -> Result<(), SavError> {
    let slots: Vec<Slot> = variables
        .iter()
        .map(|v| Slot {
            name: v.name.clone(),
            kind: v.kind,
        })
        .collect();
    let case_size: usize = slots.iter().map(Slot::segments).sum();
    let case_size = i32::try_from(case_size).map_err(|_| SavError::TooManyVariables)?;

    // File header, 176 bytes.
    buf.extend_from_slice(b"$FL2");
    put_padded(buf, "@(#) SPSS DATA FILE Vertelpunt", 60);
    put_i32(buf, 2); // layout code: this byte order
    put_i32(buf, case_size);
    put_i32(
        buf,
        if compression == Compression::Bytecode {
            1
        } else {
            0
        },
    );
    put_i32(buf, 0); // no weight variable
    put_i32(buf, -1); // case count: unknown until the end
    put_f64(buf, BIAS);
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS[usize::from(u8::from(created.month())) - 1];
    let date = format!(
        "{:02} {month} {:02}",
        created.day(),
        created.year().rem_euclid(100)
    );
    let clock = format!(
        "{:02}:{:02}:{:02}",
        created.hour(),
        created.minute(),
        created.second()
    );
    put_padded(buf, &date, 9);
    put_padded(buf, &clock, 8);
    put_padded(buf, file_label, 64);
    buf.extend_from_slice(&[0; 3]);

    // Variable records.
    let shorts = short_names(variables);
    for (v, short) in variables.iter().zip(&shorts) {
        put_i32(buf, 2);
        put_i32(
            buf,
            match v.kind {
                Kind::Text { width } => i32::from(width),
                _ => 0,
            },
        );
        put_i32(buf, i32::from(!v.label.is_empty()));
        let (missing_count, missing_values): (i32, Vec<f64>) = match &v.missing {
            Missing::None => (0, vec![]),
            Missing::Codes(codes) => (codes.len() as i32, codes.clone()),
            Missing::Range {
                low,
                high,
                also: None,
            } => (-2, vec![*low, *high]),
            Missing::Range {
                low,
                high,
                also: Some(x),
            } => (-3, vec![*low, *high, *x]),
        };
        put_i32(buf, missing_count);
        let format = format_spec(v.kind);
        put_i32(buf, format); // print
        put_i32(buf, format); // write
        put_padded(buf, short, 8);
        if !v.label.is_empty() {
            let label = truncate_at_char(&v.label, MAX_VARIABLE_LABEL_LEN);
            put_i32(buf, label.len() as i32);
            put_padded(buf, label, label.len().next_multiple_of(4));
        }
        for x in missing_values {
            put_f64(buf, x);
        }
        if let Kind::Text { width } = v.kind {
            for _ in 1..usize::from(width).div_ceil(8) {
                put_i32(buf, 2);
                put_i32(buf, -1); // continuation of the text above
                put_i32(buf, 0);
                put_i32(buf, 0);
                put_i32(buf, 0);
                put_i32(buf, 0);
                put_padded(buf, "", 8);
            }
        }
    }

    // Value labels: a type 3 record with the labels, then a type 4 record naming the variable
    // by its 1-based position among the 8-byte segments.
    let mut position = 1;
    for (v, slot) in variables.iter().zip(&slots) {
        if !v.value_labels.is_empty() {
            put_i32(buf, 3);
            put_i32(buf, v.value_labels.len() as i32);
            for (value, label) in &v.value_labels {
                put_f64(buf, *value);
                let label = truncate_at_char(label, MAX_VALUE_LABEL_LEN);
                buf.push(label.len() as u8);
                // The length byte and the label together fill whole 8-byte units.
                put_padded(buf, label, (label.len() + 1).next_multiple_of(8) - 1);
            }
            put_i32(buf, 4);
            put_i32(buf, 1);
            put_i32(buf, position as i32);
        }
        position += slot.segments();
    }

    // Machine integer info: version, machine code (-1: unknown), IEEE 754 doubles, compression
    // code (always 1), little-endian, UTF-8 (code page 65001).
    put_info_header(buf, 3, 4, 8)?;
    for x in [1, 0, 0, -1, 1, 1, 2, 65001] {
        put_i32(buf, x);
    }

    // Machine floating point info: system-missing, the highest and the lowest value.
    put_info_header(buf, 4, 8, 3)?;
    put_f64(buf, SYSMIS);
    put_f64(buf, f64::MAX);
    put_f64(buf, f64::from_bits(SYSMIS.to_bits() - 1));

    // Display parameters: measure, column width, alignment (0 left, 1 right).
    put_info_header(buf, 11, 4, 3 * variables.len())?;
    for v in variables {
        put_i32(
            buf,
            match v.measure {
                Measure::Nominal => 1,
                Measure::Ordinal => 2,
                Measure::Scale => 3,
            },
        );
        let (width, alignment) = match v.kind {
            Kind::Numeric { .. } => ((format_spec(v.kind) >> 8) & 0xff, 1),
            Kind::Date => (11, 1),
            Kind::Text { width } => (i32::from(width), 0),
        };
        put_i32(buf, width);
        put_i32(buf, alignment);
    }

    // Long names: SHORT=long pairs separated by tabs.
    let long_names = variables
        .iter()
        .zip(&shorts)
        .map(|(v, short)| format!("{short}={}", v.name))
        .collect::<Vec<_>>()
        .join("\t");
    put_info_header(buf, 13, 1, long_names.len())?;
    buf.extend_from_slice(long_names.as_bytes());

    put_info_header(buf, 20, 1, 5)?;
    buf.extend_from_slice(b"UTF-8");

    put_i32(buf, 999);
    put_i32(buf, 0);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;
    use time::macros::{date, datetime};

    fn numeric(name: &str) -> Variable {
        Variable {
            name: name.to_string(),
            label: String::new(),
            kind: Kind::Numeric { decimals: 0 },
            measure: Measure::Nominal,
            value_labels: vec![],
            missing: Missing::None,
        }
    }

    fn text(name: &str, width: u16) -> Variable {
        Variable {
            kind: Kind::Text { width },
            ..numeric(name)
        }
    }

    fn options(compression: Compression) -> Options {
        Options {
            compression,
            created: Some(datetime!(2026-11-22 09:05:07 UTC)),
        }
    }

    fn write(vars: &[Variable], rows: &[Vec<Value>], compression: Compression) -> Vec<u8> {
        let mut w =
            SavWriter::with_options(Vec::new(), "Proef", vars, options(compression)).unwrap();
        for row in rows {
            w.write_row(row).unwrap();
        }
        w.finish().unwrap()
    }

    fn i32_at(bytes: &[u8], at: usize) -> i32 {
        i32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
    }

    fn f64_at(bytes: &[u8], at: usize) -> f64 {
        f64::from_le_bytes(bytes[at..at + 8].try_into().unwrap())
    }

    /// Where the cases start: after the 999 record.
    fn data_start(bytes: &[u8]) -> usize {
        let end = (0..bytes.len() - 8)
            .rev()
            .find(|&i| i32_at(bytes, i) == 999 && i32_at(bytes, i + 4) == 0)
            .unwrap();
        end + 8
    }

    #[test]
    fn header_layout() {
        let bytes = write(&[numeric("a"), text("b", 20)], &[], Compression::Bytecode);
        assert_eq!(&bytes[..4], b"$FL2");
        assert!(bytes[4..64].starts_with(b"@(#) SPSS DATA FILE"));
        assert_eq!(i32_at(&bytes, 64), 2, "layout code");
        assert_eq!(i32_at(&bytes, 68), 4, "1 numeric + 3 segments of text");
        assert_eq!(i32_at(&bytes, 72), 1, "bytecode compression");
        assert_eq!(i32_at(&bytes, 76), 0, "no weight");
        assert_eq!(i32_at(&bytes, 80), -1, "case count unknown");
        assert_eq!(f64_at(&bytes, 84), 100.0);
        assert_eq!(&bytes[92..101], b"22 Nov 26");
        assert_eq!(&bytes[101..109], b"09:05:07");
        assert_eq!(&bytes[109..114], b"Proef");
        assert!(bytes[114..173].iter().all(|&b| b == b' '));
        assert_eq!(&bytes[173..176], &[0, 0, 0]);
        // The first variable record follows directly.
        assert_eq!(i32_at(&bytes, 176), 2);
    }

    #[test]
    fn variable_records_with_label_missing_codes_and_continuations() {
        let mut a = numeric("juiste_hulp");
        a.label = "Kreeg je de juiste hulp?".to_string(); // 24 bytes, a multiple of 4
        a.missing = Missing::Codes(vec![-1.0, -2.0]);
        let vars = [a, text("verhaal", 20)];
        let bytes = write(&vars, &[], Compression::None);
        let mut at = 176;
        assert_eq!(i32_at(&bytes, at), 2);
        assert_eq!(i32_at(&bytes, at + 4), 0, "numeric");
        assert_eq!(i32_at(&bytes, at + 8), 1, "has a label");
        assert_eq!(i32_at(&bytes, at + 12), 2, "two missing codes");
        assert_eq!(i32_at(&bytes, at + 16), 0x050800, "F8.0");
        assert_eq!(i32_at(&bytes, at + 20), 0x050800);
        assert_eq!(&bytes[at + 24..at + 32], b"JUISTE_H");
        assert_eq!(i32_at(&bytes, at + 32), 24);
        assert_eq!(&bytes[at + 36..at + 60], b"Kreeg je de juiste hulp?");
        assert_eq!(f64_at(&bytes, at + 60), -1.0);
        assert_eq!(f64_at(&bytes, at + 68), -2.0);
        at += 76;
        assert_eq!(i32_at(&bytes, at + 4), 20, "text of 20 bytes");
        assert_eq!(i32_at(&bytes, at + 16), 0x011400, "A20");
        assert_eq!(&bytes[at + 24..at + 32], b"VERHAAL ");
        for _ in 0..2 {
            at += 32;
            assert_eq!(i32_at(&bytes, at), 2);
            assert_eq!(i32_at(&bytes, at + 4), -1, "continuation");
        }
        at += 32;
        assert_eq!(i32_at(&bytes, at), 7, "no value labels: info records next");
    }

    #[test]
    fn variable_label_is_padded_to_four_bytes() {
        let mut a = numeric("a");
        a.label = "Leeftijd".to_string() + "!"; // 9 bytes, padded to 12
        let bytes = write(&[a], &[], Compression::None);
        assert_eq!(i32_at(&bytes, 176 + 32), 9);
        assert_eq!(&bytes[176 + 36..176 + 48], b"Leeftijd!   ");
        assert_eq!(i32_at(&bytes, 176 + 48), 7);
    }

    #[test]
    fn value_label_records() {
        let mut a = numeric("a");
        a.value_labels = vec![(1.0, "ja".to_string()), (-2.0, "weet ik niet".to_string())];
        let vars = [text("t", 9), a];
        let bytes = write(&vars, &[], Compression::None);
        // Header, the text (2 records), the numeric.
        let at = 176 + 3 * 32;
        assert_eq!(i32_at(&bytes, at), 3);
        assert_eq!(i32_at(&bytes, at + 4), 2);
        assert_eq!(f64_at(&bytes, at + 8), 1.0);
        assert_eq!(bytes[at + 16], 2);
        assert_eq!(&bytes[at + 17..at + 24], b"ja     ");
        assert_eq!(f64_at(&bytes, at + 24), -2.0);
        assert_eq!(bytes[at + 32], 12);
        assert_eq!(&bytes[at + 33..at + 48], b"weet ik niet   ");
        assert_eq!(i32_at(&bytes, at + 48), 4);
        assert_eq!(i32_at(&bytes, at + 52), 1);
        assert_eq!(
            i32_at(&bytes, at + 56),
            3,
            "third segment: after the 2 of the text"
        );
    }

    #[test]
    fn info_records_and_terminator() {
        let mut a = numeric("wie_betrokken_school");
        a.measure = Measure::Ordinal;
        let bytes = write(&[a, text("t", 3)], &[], Compression::None);
        let mut at = 176 + 2 * 32;
        // Subtype 3: integers, last is the code page.
        assert_eq!([0, 4, 8, 12].map(|o| i32_at(&bytes, at + o)), [7, 3, 4, 8]);
        assert_eq!(i32_at(&bytes, at + 16 + 6 * 4), 2, "little-endian");
        assert_eq!(i32_at(&bytes, at + 16 + 7 * 4), 65001, "UTF-8");
        at += 16 + 32;
        assert_eq!([0, 4, 8, 12].map(|o| i32_at(&bytes, at + o)), [7, 4, 8, 3]);
        assert_eq!(f64_at(&bytes, at + 16), -f64::MAX);
        assert_eq!(f64_at(&bytes, at + 24), f64::MAX);
        assert!(f64_at(&bytes, at + 32) > -f64::MAX);
        at += 16 + 24;
        assert_eq!([0, 4, 8, 12].map(|o| i32_at(&bytes, at + o)), [7, 11, 4, 6]);
        let display: Vec<i32> = (0..6).map(|i| i32_at(&bytes, at + 16 + 4 * i)).collect();
        assert_eq!(display, [2, 8, 1, 1, 3, 0]);
        at += 16 + 24;
        let names = "WIE_BETR=wie_betrokken_school\tT=t";
        assert_eq!(
            [0, 4, 8, 12].map(|o| i32_at(&bytes, at + o)),
            [7, 13, 1, names.len() as i32]
        );
        assert_eq!(&bytes[at + 16..at + 16 + names.len()], names.as_bytes());
        at += 16 + names.len();
        assert_eq!([0, 4, 8, 12].map(|o| i32_at(&bytes, at + o)), [7, 20, 1, 5]);
        assert_eq!(&bytes[at + 16..at + 21], b"UTF-8");
        at += 21;
        assert_eq!([i32_at(&bytes, at), i32_at(&bytes, at + 4)], [999, 0]);
        assert_eq!(bytes.len(), at + 8, "no cases");
    }

    #[test]
    fn uncompressed_cases_pad_text_with_spaces() {
        let vars = [
            numeric("a"),
            text("t", 10),
            Variable {
                kind: Kind::Date,
                ..numeric("d")
            },
        ];
        let rows = vec![
            vec![
                Value::Number(2.5),
                Value::text("abc"),
                Value::Date(date!(1582 - 10 - 15)),
            ],
            vec![
                Value::SystemMissing,
                Value::SystemMissing,
                Value::SystemMissing,
            ],
        ];
        let bytes = write(&vars, &rows, Compression::None);
        let at = data_start(&bytes);
        assert_eq!(bytes.len() - at, 2 * 32);
        assert_eq!(f64_at(&bytes, at), 2.5);
        assert_eq!(&bytes[at + 8..at + 24], b"abc             ");
        assert_eq!(f64_at(&bytes, at + 24), 86_400.0);
        assert_eq!(f64_at(&bytes, at + 32), -f64::MAX);
        assert_eq!(&bytes[at + 40..at + 56], &[b' '; 16]);
        assert_eq!(f64_at(&bytes, at + 56), -f64::MAX);
    }

    #[test]
    fn bytecode_compression() {
        let vars = [
            numeric("a"),
            numeric("b"),
            numeric("c"),
            numeric("d"),
            text("t", 16),
        ];
        let rows = vec![
            vec![
                Value::Number(5.0),
                Value::Number(-1.0),
                Value::Number(0.5),
                Value::SystemMissing,
                Value::text("abcdefghij"),
            ],
            vec![
                Value::Number(151.0),
                Value::Number(-99.0),
                Value::Number(152.0),
                Value::Number(-100.0),
                Value::text(""),
            ],
        ];
        let bytes = write(&vars, &rows, Compression::Bytecode);
        let at = data_start(&bytes);
        // First block: 6 codes of row 1, 2 of row 2; then the raw values in order.
        assert_eq!(&bytes[at..at + 8], &[105, 99, 253, 255, 253, 253, 251, 1]);
        assert_eq!(f64_at(&bytes, at + 8), 0.5);
        assert_eq!(&bytes[at + 16..at + 24], b"abcdefgh");
        assert_eq!(&bytes[at + 24..at + 32], b"ij      ");
        // Second block: the rest of row 2, padded with zeros.
        let at = at + 32;
        assert_eq!(&bytes[at..at + 8], &[253, 253, 254, 254, 0, 0, 0, 0]);
        assert_eq!(f64_at(&bytes, at + 8), 152.0);
        assert_eq!(f64_at(&bytes, at + 16), -100.0);
        assert_eq!(bytes.len(), at + 24);
    }

    #[test]
    fn seekable_finish_writes_the_case_count() {
        let vars = [numeric("a")];
        let mut out = Cursor::new(b"prefix".to_vec());
        out.set_position(6);
        let mut w =
            SavWriter::with_options(out, "", &vars, options(Compression::Bytecode)).unwrap();
        for i in 0..10 {
            w.write_row(&[Value::Number(f64::from(i))]).unwrap();
        }
        assert_eq!(w.cases(), 10);
        let out = w.finish_seekable().unwrap();
        let end = out.position() as usize;
        let bytes = out.into_inner();
        assert_eq!(end, bytes.len());
        assert_eq!(&bytes[..6], b"prefix");
        assert_eq!(i32_at(&bytes, 6 + 80), 10);
    }

    #[test]
    fn text_is_cut_at_a_character_boundary() {
        assert_eq!(truncate_at_char("abc", 5), "abc");
        assert_eq!(truncate_at_char("aé", 2), "a");
        assert_eq!(truncate_at_char("aé", 3), "aé");
        assert_eq!(truncate_at_char("😀x", 3), "");
        assert_eq!(truncate_at_char("مرحبا", 5), "مر");
        let bytes = write(
            &[text("t", 9)],
            &[vec![Value::text("12345678é")]],
            Compression::None,
        );
        let at = data_start(&bytes);
        assert_eq!(&bytes[at..at + 16], b"12345678        ");
    }

    #[test]
    fn labels_are_cut_at_a_character_boundary() {
        let mut a = numeric("a");
        a.label = "é".repeat(200); // 400 bytes
        a.value_labels = vec![(1.0, "ë".repeat(100))];
        let bytes = write(&[a], &[], Compression::None);
        assert_eq!(i32_at(&bytes, 176 + 32), 254);
        let label_end = 176 + 36 + 256;
        assert_eq!(&bytes[label_end - 2..label_end], b"  ");
        assert_eq!(i32_at(&bytes, label_end), 3);
        assert_eq!(bytes[label_end + 16], 120);
    }

    #[test]
    fn names_are_checked() {
        for good in [
            "a",
            "juiste_hulp",
            "wie_betrokken.school",
            "Q1",
            "x$#@",
            &"a".repeat(64),
        ] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "1a",
            "_a",
            "a b",
            "a-b",
            "a.",
            "a_",
            "to",
            "WITH",
            "é",
            &"a".repeat(65),
        ] {
            assert!(
                matches!(check_name(bad), Err(SavError::InvalidName(..))),
                "{bad}"
            );
        }
        let err = SavWriter::new(Vec::new(), "", &[numeric("Leeftijd"), numeric("leeftijd")]);
        assert!(matches!(err, Err(SavError::DuplicateName(n)) if n == "leeftijd"));
    }

    #[test]
    fn names_are_made_from_keys() {
        let mut names = NameMaker::new();
        names.reserve("id");
        assert_eq!(names.make("juiste_hulp"), "juiste_hulp");
        assert_eq!(names.make("wie_betrokken.school"), "wie_betrokken_school");
        assert_eq!(names.make("wie_betrokken_school"), "wie_betrokken_school_2");
        assert_eq!(names.make("ID"), "ID_2");
        assert_eq!(names.make("16_plus"), "v_16_plus");
        assert_eq!(names.make("to"), "v_to");
        assert_eq!(names.make("a-"), "a");
        assert_eq!(names.make(""), "v");
        assert_eq!(names.make("ééé"), "v_2");
        assert_eq!(names.make("hulp_é"), "hulp");
        let long = "k".repeat(70);
        assert_eq!(names.make(&long), "k".repeat(64));
        assert_eq!(names.make(&long), format!("{}_2", "k".repeat(62)));
        let mut seen = HashSet::new();
        for key in [
            "a",
            "A",
            "a.",
            "a_",
            "1",
            "_",
            "with",
            "x".repeat(80).as_str(),
        ] {
            let name = names.make(key);
            assert!(check_name(&name).is_ok(), "{key} -> {name}");
            assert!(seen.insert(name.to_ascii_lowercase()));
        }
    }

    #[test]
    fn short_names_are_unique() {
        let vars: Vec<Variable> = ["verhaal_een", "verhaal_twee", "Verhaal_drie", "kort"]
            .iter()
            .map(|n| numeric(n))
            .collect();
        assert_eq!(
            short_names(&vars),
            ["VERHAAL_", "VERHAA_1", "VERHAA_2", "KORT"]
        );
    }

    #[test]
    fn bad_dictionaries_and_rows_are_refused() {
        let refuse = |v: Variable| SavWriter::new(Vec::new(), "", &[v]).err().unwrap();
        assert!(matches!(refuse(text("t", 0)), SavError::TextWidth(..)));
        assert!(matches!(refuse(text("t", 256)), SavError::TextWidth(..)));
        assert!(matches!(
            refuse(Variable {
                measure: Measure::Scale,
                ..text("t", 4)
            }),
            SavError::ScaleText(_)
        ));
        assert!(matches!(
            refuse(Variable {
                missing: Missing::Codes(vec![-1.0]),
                ..text("t", 4)
            }),
            SavError::NotNumeric(_)
        ));
        assert!(matches!(
            refuse(Variable {
                missing: Missing::Codes(vec![-1.0, -2.0, -3.0, -4.0]),
                ..numeric("a")
            }),
            SavError::InvalidMissing(..)
        ));
        assert!(matches!(
            refuse(Variable {
                missing: Missing::Range {
                    low: -1.0,
                    high: -9.0,
                    also: None
                },
                ..numeric("a")
            }),
            SavError::InvalidMissing(..)
        ));
        assert!(matches!(
            refuse(Variable {
                value_labels: vec![(1.0, "a".into()), (1.0, "b".into())],
                ..numeric("a")
            }),
            SavError::DuplicateValueLabel(..)
        ));
        assert!(matches!(
            refuse(Variable {
                kind: Kind::Numeric { decimals: 17 },
                ..numeric("a")
            }),
            SavError::Decimals(..)
        ));
        assert!(matches!(
            SavWriter::new(Vec::new(), "", &[]).err().unwrap(),
            SavError::NoVariables
        ));

        let mut w = SavWriter::new(Vec::new(), "", &[numeric("a"), text("t", 4)]).unwrap();
        let before = w.buf.len();
        assert!(matches!(
            w.write_row(&[Value::Number(1.0)]),
            Err(SavError::RowLength {
                got: 1,
                expected: 2
            })
        ));
        assert!(matches!(
            w.write_row(&[Value::text("x"), Value::text("x")]),
            Err(SavError::ValueKind { .. })
        ));
        assert!(matches!(
            w.write_row(&[Value::Number(f64::NAN), Value::text("x")]),
            Err(SavError::NotFinite(..))
        ));
        assert_eq!((w.buf.len(), w.n_codes, w.cases()), (before, 0, 0));
    }

    #[test]
    fn spss_dates_count_from_the_gregorian_calendar() {
        assert_eq!(date!(1582 - 10 - 14).to_julian_day(), SPSS_EPOCH_JULIAN_DAY);
        assert_eq!(spss_date(date!(1582 - 10 - 14)), 0.0);
        // 1 January 1970 in SPSS seconds, as SPSS's DATE.DMY(1,1,1970) gives.
        assert_eq!(spss_date(date!(1970 - 01 - 01)), 12_219_379_200.0);
    }
}

/// Round trips through independent readers: pyreadstat (ReadStat, as used from Python and by
/// R's haven) and PSPP. These fail, not skip, when a reader is missing.
#[cfg(test)]
mod readers {
    use super::*;
    use serde_json::{json, Value as Json};
    use std::path::Path;
    use std::process::Command;

    const PYTHON: &str = "Python 3 with pyreadstat: `python3 -m pip install pyreadstat`";
    const PSPP: &str = "PSPP: `apt-get install pspp` (Debian)";
    const ROWS: usize = 3000;

    const TEXTS: [&str; 6] = [
        "De wachtlijst was lang, maar de hulpverlener luisterde écht naar ons gezin.",
        "كانت قائمة الانتظار طويلة جدا لكن المساعدة كانت جيدة",
        "😀😀😀 fijn 😀 geholpen 🙏🏽 door de buurtcoach 👍 echt waar",
        "kort",
        "",
        "Ik wist niet waar ik moest beginnen          en toen",
    ];

    fn run(program: &str, args: &[&str], install: &str) -> (String, String) {
        let out = Command::new(program)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {program} ({e}); this test needs {install}"));
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            out.status.success(),
            "{program} {args:?} failed ({}): {stderr}\nThis test needs {install}",
            out.status
        );
        (String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
    }

    fn variables() -> Vec<Variable> {
        let mut names = NameMaker::new();
        let missing_labels = [
            (-1.0, "niet beantwoord".to_string()),
            (-2.0, "weet ik niet / past niet".to_string()),
            (-3.0, "niet gevraagd".to_string()),
        ];
        vec![
            Variable {
                name: names.make("id"),
                label: "Verhaal (pseudoniem)".into(),
                kind: Kind::Text { width: 12 },
                measure: Measure::Nominal,
                value_labels: vec![],
                missing: Missing::None,
            },
            Variable {
                name: names.make("dag"),
                label: "Dag van vertellen".into(),
                kind: Kind::Date,
                measure: Measure::Scale,
                value_labels: vec![],
                missing: Missing::None,
            },
            Variable {
                name: names.make("juiste_hulp"),
                // Longer than 255 bytes, so cut, in the middle of the text's 2-byte letters.
                label: format!("Kreeg je juiste hulp? {}", "ë".repeat(200)),
                kind: Kind::Numeric { decimals: 0 },
                measure: Measure::Nominal,
                value_labels: [
                    (1.0, "ja".to_string()),
                    (2.0, "nee".to_string()),
                    (3.0, format!("deels – {}", "é".repeat(100))),
                ]
                .into_iter()
                .chain(missing_labels.clone())
                .collect(),
                missing: Missing::Codes(vec![-1.0, -2.0, -3.0]),
            },
            Variable {
                name: names.make("hoe_snel"),
                label: "Hoe snel kwam de hulp? (0 = heel traag, 100 = heel snel)".into(),
                kind: Kind::Numeric { decimals: 0 },
                measure: Measure::Ordinal,
                value_labels: [
                    (0.0, "heel traag".to_string()),
                    (100.0, "heel snel".to_string()),
                ]
                .into_iter()
                .chain(missing_labels)
                .collect(),
                missing: Missing::Range {
                    low: -9.0,
                    high: -1.0,
                    also: None,
                },
            },
            Variable {
                name: names.make("score"),
                label: String::new(),
                kind: Kind::Numeric { decimals: 2 },
                measure: Measure::Scale,
                value_labels: vec![],
                missing: Missing::None,
            },
            Variable {
                name: names.make("verhaal"),
                label: "Wat wil je vertellen? — ما الذي تريد قوله؟ 😀".into(),
                kind: Kind::Text { width: 40 },
                measure: Measure::Nominal,
                value_labels: vec![],
                missing: Missing::None,
            },
            Variable {
                name: names.make("wie_betrokken.school"),
                label: "Wie was betrokken: school".into(),
                kind: Kind::Numeric { decimals: 0 },
                measure: Measure::Nominal,
                value_labels: vec![(0.0, "nee".into()), (1.0, "ja".into())],
                missing: Missing::None,
            },
        ]
    }

    /// Deterministic rows covering every kind of value, system-missing and user-missing codes.
    fn rows() -> Vec<Vec<Value<'static>>> {
        let mut state: u64 = 0x5eed_1234_abcd_0042;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let first_day = time::macros::date!(2025 - 01 - 01);
        (0..ROWS)
            .map(|i| {
                let day = if i % 97 == 5 {
                    Value::SystemMissing
                } else {
                    Value::Date(first_day + time::Duration::days((i % 700) as i64))
                };
                let help = match next(8) {
                    0 => Value::SystemMissing,
                    k @ 1..=3 => Value::Number(k as f64),
                    k => Value::Number(-((k - 3) as f64).min(3.0)),
                };
                let slider = match next(10) {
                    0 => Value::SystemMissing,
                    1 => Value::Number(-(next(3) as f64) - 1.0),
                    _ => Value::Number(next(101) as f64),
                };
                let score = match next(6) {
                    0 => Value::SystemMissing,
                    1 => Value::Number(1_234_567.25),
                    _ => Value::Number(next(100_000) as f64 / 8.0 - 5000.0),
                };
                let story = match next(8) {
                    7 => Value::SystemMissing,
                    k => Value::text(TEXTS[(k % 6) as usize]),
                };
                let school = Value::Number(next(2) as f64);
                vec![
                    Value::text(format!("v{i:05}")),
                    day,
                    help,
                    slider,
                    score,
                    story,
                    school,
                ]
            })
            .collect()
    }

    /// What a reader gives back for a cell: text cut and without trailing blanks; a number;
    /// a date as YYYY-MM-DD; null for system-missing.
    fn expected_cell(var: &Variable, value: &Value) -> Json {
        match (value, var.kind) {
            (Value::Text(s), Kind::Text { width }) => {
                json!(truncate_at_char(s, usize::from(width)).trim_end_matches(' '))
            }
            (Value::SystemMissing, Kind::Text { .. }) => json!(""),
            (Value::Number(x), _) => json!(x),
            (Value::Date(d), _) => json!(d.to_string()),
            _ => Json::Null,
        }
    }

    fn write_file(path: &Path, compression: Compression, seekable: bool) {
        let vars = variables();
        let options = Options {
            compression,
            created: None,
        };
        let label = "Vertelpunt proef – é 😀";
        if seekable {
            let file = std::fs::File::create(path).unwrap();
            let mut w = SavWriter::with_options(file, label, &vars, options).unwrap();
            for row in rows() {
                w.write_row(&row).unwrap();
            }
            w.finish_seekable().unwrap();
        } else {
            // A plain stream, as a response body is: the case count stays unknown.
            let mut w = SavWriter::with_options(Vec::new(), label, &vars, options).unwrap();
            for row in rows() {
                w.write_row(&row).unwrap();
            }
            std::fs::write(path, w.finish().unwrap()).unwrap();
        }
    }

    fn check_pyreadstat(path: &Path, number_rows: Option<usize>) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/sav_check.py");
        let (stdout, _) = run("python3", &[script, path.to_str().unwrap()], PYTHON);
        let got: Json = serde_json::from_str(&stdout).unwrap();
        let vars = variables();

        assert_eq!(got["file_label"], "Vertelpunt proef – é 😀");
        assert_eq!(got["encoding"], "UTF-8");
        assert_eq!(got["number_rows"], json!(number_rows));

        let expected_vars: Vec<Json> = vars
            .iter()
            .map(|v| {
                let (format, width, alignment) = match v.kind {
                    Kind::Numeric { decimals } => (format!("F8.{decimals}"), 8, "right"),
                    Kind::Date => ("DATE11".into(), 11, "right"),
                    Kind::Text { width } => (format!("A{width}"), width, "left"),
                };
                let mut labels: Vec<Json> = v
                    .value_labels
                    .iter()
                    .map(|(x, l)| json!([x, truncate_at_char(l, MAX_VALUE_LABEL_LEN)]))
                    .collect();
                labels.sort_by(|a, b| a[0].as_f64().unwrap().total_cmp(&b[0].as_f64().unwrap()));
                let ranges: Vec<Json> = match &v.missing {
                    Missing::None => vec![],
                    Missing::Codes(codes) => codes.iter().map(|c| json!([c, c])).collect(),
                    Missing::Range { low, high, also } => std::iter::once(json!([low, high]))
                        .chain(also.map(|x| json!([x, x])))
                        .collect(),
                };
                json!({
                    "name": v.name,
                    "label": if v.label.is_empty() {
                        Json::Null
                    } else {
                        json!(truncate_at_char(&v.label, MAX_VARIABLE_LABEL_LEN))
                    },
                    "format": format,
                    "measure": match v.measure {
                        Measure::Nominal => "nominal",
                        Measure::Ordinal => "ordinal",
                        Measure::Scale => "scale",
                    },
                    "display_width": width,
                    "alignment": alignment,
                    "value_labels": labels,
                    "missing_ranges": ranges,
                })
            })
            .collect();
        for (got, expected) in got["variables"]
            .as_array()
            .unwrap()
            .iter()
            .zip(&expected_vars)
        {
            assert_eq!(got, expected);
        }
        assert_eq!(got["variables"].as_array().unwrap().len(), vars.len());
        assert_eq!(got["variables"][6]["name"], "wie_betrokken_school");
        let label = got["variables"][2]["label"].as_str().unwrap();
        assert_eq!(label.len(), 255 - 1, "cut before a 2-byte letter");

        let rows = rows();
        let got_rows = got["rows"].as_array().unwrap();
        assert_eq!(got_rows.len(), ROWS);
        for (i, (got, row)) in got_rows.iter().zip(&rows).enumerate() {
            let expected: Vec<Json> = vars
                .iter()
                .zip(row)
                .map(|(v, x)| expected_cell(v, x))
                .collect();
            assert_eq!(got, &json!(expected), "row {i}");
        }
    }

    /// PSPP's own reading, as CSV: once as the values, once with value labels and with
    /// user-missing values turned into system-missing ones. PSPP warns on stderr about
    /// anything odd in a file; there must be nothing.
    fn check_pspp(path: &Path, dir: &Path) {
        let vars = variables();
        let rows = rows();
        let plain = dir.join("plain.csv");
        let labelled = dir.join("labelled.csv");
        let file = path.to_str().unwrap();
        let (_, stderr) = run("pspp-convert", &[file, plain.to_str().unwrap()], PSPP);
        assert_eq!(stderr, "", "PSPP complained");
        let (_, stderr) = run(
            "pspp-convert",
            &["--labels", "--recode", file, labelled.to_str().unwrap()],
            PSPP,
        );
        assert_eq!(stderr, "", "PSPP complained");

        for (csv_path, labels) in [(plain, false), (labelled, true)] {
            let mut reader = ::csv::Reader::from_path(&csv_path).unwrap();
            let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
            let names: Vec<&str> = vars.iter().map(|v| v.name.as_str()).collect();
            assert_eq!(header, names);
            let mut n = 0;
            for (i, (record, row)) in reader.records().zip(&rows).enumerate() {
                let record = record.unwrap();
                for ((cell, var), value) in record.iter().zip(&vars).zip(row) {
                    let user_missing = |x: f64| match &var.missing {
                        Missing::None => false,
                        Missing::Codes(codes) => codes.contains(&x),
                        Missing::Range { low, high, also } => {
                            (*low..=*high).contains(&x) || *also == Some(x)
                        }
                    };
                    let label = |x: f64| var.value_labels.iter().find(|(v, _)| *v == x);
                    match value {
                        Value::Number(x) if labels && user_missing(*x) => {
                            assert_eq!(cell, " ", "row {i} {}", var.name)
                        }
                        Value::Number(x) if labels && label(*x).is_some() => {
                            let (_, l) = label(*x).unwrap();
                            assert_eq!(cell, truncate_at_char(l, MAX_VALUE_LABEL_LEN));
                        }
                        Value::Number(x) => {
                            let read: f64 = cell.parse().unwrap_or_else(|_| {
                                panic!("row {i} {}: {cell:?} is not a number", var.name)
                            });
                            assert_eq!(read, *x, "row {i} {}", var.name);
                        }
                        Value::Date(d) => {
                            let mdy =
                                format!("{:02}/{:02}/{}", u8::from(d.month()), d.day(), d.year());
                            assert_eq!(cell, mdy, "row {i} {}", var.name);
                        }
                        Value::Text(_) | Value::SystemMissing
                            if matches!(var.kind, Kind::Text { .. }) =>
                        {
                            assert_eq!(cell, expected_cell(var, value), "row {i} {}", var.name);
                        }
                        _ => assert_eq!(cell, " ", "row {i} {}: system-missing", var.name),
                    }
                }
                n += 1;
            }
            assert_eq!(n, ROWS);
        }
    }

    fn round_trip(compression: Compression, seekable: bool) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("verhalen.sav");
        write_file(&path, compression, seekable);
        check_pyreadstat(&path, seekable.then_some(ROWS));
        check_pspp(&path, dir.path());
    }

    /// A download: compressed, streamed, so the case count stays unknown.
    #[test]
    fn compressed_stream_reads_back() {
        round_trip(Compression::Bytecode, false);
    }

    /// A file on disk: compressed, with the case count written at the end.
    #[test]
    fn compressed_file_with_case_count_reads_back() {
        round_trip(Compression::Bytecode, true);
    }

    #[test]
    fn uncompressed_file_reads_back() {
        round_trip(Compression::None, true);
    }
}
