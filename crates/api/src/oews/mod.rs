//! BLS OEWS wage files (plain or gzip CSV, BLS's column names), read and
//! checked whole before anything is written: a bad cell stops the import with
//! its line, column and value.

mod progress;

pub use progress::Progress;

use rolebase_domain::{InvalidValue, Money};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::Path;

/// An OEWS release: BLS's code (`2025A01`) and its name (`May 2025`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub code: String,
    pub title: String,
}

impl Release {
    /// OEWS releases are annual, for the May reference period: `2025A01` is
    /// "May 2025" unless another title is given.
    pub fn parse(code: &str, title: Option<&str>) -> Result<Self, InvalidValue> {
        // Bytes, not characters: any non-ASCII code is refused before slicing.
        let bytes = code.as_bytes();
        let well_formed =
            bytes.len() == 7 && bytes[..4].iter().all(u8::is_ascii_digit) && &bytes[4..] == b"A01";
        if !well_formed {
            return Err(InvalidValue::new(
                "invalid_release",
                format!("`{code}` is not an OEWS release code like 2025A01"),
            ));
        }
        let title = match title.map(str::trim) {
            Some("") => return Err(InvalidValue::new("empty", "the release title is empty")),
            Some(title) => title.to_owned(),
            None => format!("May {}", &code[..4]),
        };
        Ok(Self {
            code: code.to_owned(),
            title,
        })
    }
}

/// Why a figure is absent.
pub const NOT_APPLICABLE: &str = "not_applicable";
pub const ANNUAL_ONLY: &str = "annual_only";
pub const NOT_RELEASED: &str = "not_released";
/// Two adjacent percentiles are equal (BLS reports a floor or a top code).
pub const PERCENTILES_COLLAPSED: &str = "percentiles_collapsed";

/// The figures of a row: BLS's column, and the name the API gives it.
pub const FIGURES: [(&str, &str); FIGURE_COUNT] = [
    ("TOT_EMP", "employment"),
    ("EMP_PRSE", "employment_rse"),
    ("H_MEAN", "hourly_mean"),
    ("A_MEAN", "annual_mean"),
    ("MEAN_PRSE", "mean_rse"),
    ("H_PCT10", "hourly_p10"),
    ("H_PCT25", "hourly_p25"),
    ("H_MEDIAN", "hourly_median"),
    ("H_PCT75", "hourly_p75"),
    ("H_PCT90", "hourly_p90"),
    ("A_PCT10", "annual_p10"),
    ("A_PCT25", "annual_p25"),
    ("A_MEDIAN", "annual_median"),
    ("A_PCT75", "annual_p75"),
    ("A_PCT90", "annual_p90"),
    ("JOBS_1000", "jobs_per_1000"),
    ("LOC_QUOTIENT", "location_quotient"),
];

const HOURLY: std::ops::Range<usize> = 5..10;
const ANNUAL: std::ops::Range<usize> = 10..15;
const FIGURE_COUNT: usize = 17;

const TEXT_COLUMNS: [&str; 7] = [
    "AREA",
    "AREA_TITLE",
    "AREA_KIND",
    "PRIM_STATE",
    "OCC_CODE",
    "OCC_TITLE",
    "O_GROUP",
];

/// One row: an occupation in an area.
#[derive(Debug, Clone, PartialEq)]
pub struct WageRow {
    pub line: u64,
    pub area: String,
    pub area_title: String,
    /// `nation`, `state` or `metro`.
    pub area_kind: &'static str,
    pub state_fips: String,
    pub soc_code: String,
    pub title: String,
    /// `total`, `major`, `minor`, `broad` or `detailed`.
    pub group: &'static str,
    /// The nearest broader occupation the file has.
    pub parent: Option<String>,
    /// In the order of [`FIGURES`]; absent figures are `None`, never zero.
    pub figures: [Option<Money>; FIGURE_COUNT],
    /// Figure name → why it is absent.
    pub absent: BTreeMap<&'static str, &'static str>,
    pub flags: Vec<&'static str>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("could not read {path}: {message}")]
    Io { path: String, message: String },
    #[error("the file is not in the OEWS layout: it has no column {0}")]
    MissingColumn(String),
    #[error("line {line}: column {column}: `{value}` {problem}")]
    Cell {
        line: u64,
        column: String,
        value: String,
        problem: String,
    },
    #[error("line {line}: {problem}")]
    Row { line: u64, problem: String },
    #[error("the file has no rows")]
    Empty,
}

/// Reads and checks a whole file, plain or gzip.
pub fn read(path: &Path, progress: &Progress) -> Result<Vec<WageRow>, ReadError> {
    let io = |error: std::io::Error| ReadError::Io {
        path: path.display().to_string(),
        message: error.to_string(),
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut magic = [0u8; 2];
    let gzip = file.read(&mut magic).map_err(io)? == 2 && magic == [0x1f, 0x8b];
    let file = std::fs::File::open(path).map_err(io)?;
    let input: Box<dyn Read> = if gzip {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    parse(input, progress).map_err(|error| match error {
        ReadError::Io { message, .. } => ReadError::Io {
            path: path.display().to_string(),
            message,
        },
        other => other,
    })
}

/// Reads and checks CSV text in the OEWS layout.
pub fn parse(input: impl Read, progress: &Progress) -> Result<Vec<WageRow>, ReadError> {
    let mut reader = csv::ReaderBuilder::new().from_reader(input);
    let io = |error: csv::Error| ReadError::Io {
        path: String::new(),
        message: error.to_string(),
    };
    let headers = reader.headers().map_err(io)?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|header| header.trim() == name)
            .ok_or_else(|| ReadError::MissingColumn(name.to_owned()))
    };
    let text_at: Vec<usize> = TEXT_COLUMNS
        .iter()
        .map(|name| column(name))
        .collect::<Result<_, _>>()?;
    let figure_at: Vec<usize> = FIGURES
        .iter()
        .map(|(name, _)| column(name))
        .collect::<Result<_, _>>()?;
    let mut rows = Vec::new();
    let mut seen = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|error| match error.position() {
            Some(position) => ReadError::Row {
                line: position.line(),
                problem: error.to_string(),
            },
            None => io(error),
        })?;
        let line = record.position().map_or(0, |position| position.line());
        let row = read_row(&record, line, &text_at, &figure_at)?;
        if let Some(first) = seen.insert((row.area.clone(), row.soc_code.clone()), line) {
            return Err(ReadError::Row {
                line,
                problem: format!(
                    "area {} and occupation {} are also on line {first}",
                    row.area, row.soc_code
                ),
            });
        }
        rows.push(row);
        progress.advance(1);
    }
    if rows.is_empty() {
        return Err(ReadError::Empty);
    }
    set_parents(&mut rows);
    Ok(rows)
}

fn read_row(
    record: &csv::StringRecord,
    line: u64,
    text_at: &[usize],
    figure_at: &[usize],
) -> Result<WageRow, ReadError> {
    let cell = |index: usize| record.get(index).unwrap_or("").trim();
    let refuse = |column: &str, value: &str, problem: &str| ReadError::Cell {
        line,
        column: column.to_owned(),
        value: value.to_owned(),
        problem: problem.to_owned(),
    };
    let text = |position: usize| cell(text_at[position]);
    let area = text(0);
    if area.len() != 7 || !area.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refuse("AREA", area, "is not a 7-digit BLS area code"));
    }
    let title_of = |position: usize, column: &str| {
        let title = text(position);
        if title.is_empty() || title.chars().count() > 200 {
            Err(refuse(column, title, "must be 1 to 200 characters"))
        } else {
            Ok(title.to_owned())
        }
    };
    let area_title = title_of(1, "AREA_TITLE")?;
    let area_kind = match text(2) {
        "N" => "nation",
        "S" => "state",
        "M" => "metro",
        other => return Err(refuse("AREA_KIND", other, "is not N, S or M")),
    };
    let state = text(3);
    if state.len() != 2 || !state.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refuse(
            "PRIM_STATE",
            state,
            "is not a 2-digit FIPS state code",
        ));
    }
    let soc = text(4);
    if rolebase_domain::SocCode::parse(soc).is_err() {
        return Err(refuse("OCC_CODE", soc, "is not a SOC code like 15-1252"));
    }
    let title = title_of(5, "OCC_TITLE")?;
    let group = match text(6) {
        "total" => "total",
        "major" => "major",
        "minor" => "minor",
        "broad" => "broad",
        "detailed" => "detailed",
        other => {
            return Err(refuse(
                "O_GROUP",
                other,
                "is not total, major, minor, broad or detailed",
            ));
        }
    };
    let mut figures = [None; FIGURE_COUNT];
    let mut markers = [None; FIGURE_COUNT];
    for (index, &at) in figure_at.iter().enumerate() {
        let (column, _) = FIGURES[index];
        let raw = cell(at);
        match raw {
            "-" => markers[index] = Some(NOT_RELEASED),
            "**" => markers[index] = Some(NOT_APPLICABLE),
            _ => {
                let value: Money = raw
                    .replace(',', "")
                    .parse()
                    .map_err(|_| refuse(column, raw, "is not a number, `-` or `**`"))?;
                if value.is_sign_negative() {
                    return Err(refuse(column, raw, "is negative"));
                }
                if index == 0 && (!value.fract().is_zero() || value > Money::from(i64::MAX)) {
                    return Err(refuse(column, raw, "is not a whole number of jobs"));
                }
                figures[index] = Some(value);
            }
        }
    }
    // BLS publishes no hourly wage for occupations paid by the year: their
    // hourly figures are absent while the annual ones are there.
    let annual_only = HOURLY.clone().all(|i| figures[i].is_none())
        && ANNUAL.clone().any(|i| figures[i].is_some())
        && figures[2].is_none();
    let mut absent = BTreeMap::new();
    for (index, marker) in markers.iter().enumerate() {
        if let Some(reason) = marker {
            let hourly = HOURLY.contains(&index) || index == 2;
            let reason = if hourly && annual_only && *reason == NOT_RELEASED {
                ANNUAL_ONLY
            } else {
                reason
            };
            absent.insert(FIGURES[index].1, reason);
        }
    }
    let mut flags = Vec::new();
    let collapsed = |range: std::ops::Range<usize>| {
        range
            .clone()
            .zip(range.skip(1))
            .any(|(a, b)| figures[a].is_some() && figures[a] == figures[b])
    };
    if collapsed(HOURLY) || collapsed(ANNUAL) {
        flags.push(PERCENTILES_COLLAPSED);
    }
    Ok(WageRow {
        line,
        area: area.to_owned(),
        area_title,
        area_kind,
        state_fips: state.to_owned(),
        soc_code: soc.to_owned(),
        title,
        group,
        parent: None,
        figures,
        absent,
        flags,
    })
}

/// Each occupation's parent: the nearest broader code the file has
/// (a detailed occupation's broad group, else its minor group, …).
fn set_parents(rows: &mut [WageRow]) {
    let codes: HashSet<String> = rows.iter().map(|row| row.soc_code.clone()).collect();
    for row in rows.iter_mut() {
        let code = &row.soc_code;
        let candidates: Vec<String> = match row.group {
            "detailed" => vec![
                format!("{}0", &code[..6]),
                format!("{}00", &code[..5]),
                format!("{}0000", &code[..3]),
                "00-0000".into(),
            ],
            "broad" => vec![
                format!("{}00", &code[..5]),
                format!("{}0000", &code[..3]),
                "00-0000".into(),
            ],
            "minor" => vec![format!("{}0000", &code[..3]), "00-0000".into()],
            "major" => vec!["00-0000".into()],
            _ => vec![],
        };
        row.parent = candidates
            .into_iter()
            .find(|candidate| candidate != code && codes.contains(candidate));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "AREA,AREA_TITLE,AREA_KIND,PRIM_STATE,OCC_CODE,OCC_TITLE,O_GROUP,TOT_EMP,EMP_PRSE,H_MEAN,A_MEAN,MEAN_PRSE,H_PCT10,H_PCT25,H_MEDIAN,H_PCT75,H_PCT90,A_PCT10,A_PCT25,A_MEDIAN,A_PCT75,A_PCT90,JOBS_1000,LOC_QUOTIENT";

    fn rows(body: &str) -> Result<Vec<WageRow>, ReadError> {
        parse(format!("{HEADER}\n{body}").as_bytes(), &Progress::quiet())
    }

    #[test]
    fn markers_become_absent_figures_with_their_reason() {
        let parsed = rows(concat!(
            "0000000,National,N,00,25-1011,\"Business Teachers, Postsecondary\",detailed,83110,2.0,-,128610,1.1,-,-,-,-,-,51110,72550,106740,153270,-,**,**\n",
            "0100000,Alabama,S,01,15-1252,Software Developers,detailed,12000,5.0,55.00,114400,1.5,30.00,40.00,50.00,60.00,60.00,62400,83200,104000,124800,124800,5.6,0.8\n",
        ))
        .unwrap();
        let teachers = &parsed[0];
        assert_eq!(teachers.title, "Business Teachers, Postsecondary");
        assert_eq!(teachers.absent["hourly_mean"], ANNUAL_ONLY);
        assert_eq!(teachers.absent["hourly_p90"], ANNUAL_ONLY);
        assert_eq!(teachers.absent["annual_p90"], NOT_RELEASED);
        assert_eq!(teachers.absent["jobs_per_1000"], NOT_APPLICABLE);
        assert_eq!(teachers.figures[3], Some(Money::from(128610)));
        assert_eq!(teachers.figures[2], None, "absent, never zero");
        let developers = &parsed[1];
        assert!(developers.absent.is_empty());
        assert_eq!(developers.flags, vec![PERCENTILES_COLLAPSED]);
    }

    #[test]
    fn a_bad_cell_is_named_by_line_column_and_value() {
        let error = rows(
            "0000000,National,N,00,15-1252,Software Developers,detailed,12x,2.0,1,2,1,1,1,1,1,1,1,1,1,1,1,**,**\n",
        )
        .unwrap_err();
        let message = error.to_string();
        assert!(message.contains("line 2"), "{message}");
        assert!(message.contains("TOT_EMP"), "{message}");
        assert!(message.contains("`12x`"), "{message}");
    }

    #[test]
    fn a_repeated_row_and_a_missing_column_are_refused() {
        let row = "0000000,National,N,00,15-1252,Software Developers,detailed,1,2.0,1,2,1,1,1,1,1,1,1,1,1,1,1,**,**\n";
        let error = rows(&format!("{row}{row}")).unwrap_err();
        assert!(error.to_string().contains("line 3"), "{error}");
        let missing = parse("AREA,OCC_CODE\n".as_bytes(), &Progress::quiet()).unwrap_err();
        assert!(matches!(missing, ReadError::MissingColumn(_)), "{missing}");
    }

    #[test]
    fn parents_are_the_nearest_broader_code_in_the_file() {
        let line = |code: &str, group: &str| {
            format!("0000000,National,N,00,{code},T,{group},1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,**,**\n")
        };
        let parsed = rows(
            &[
                line("00-0000", "total"),
                line("15-0000", "major"),
                line("15-1200", "minor"),
                line("15-1252", "detailed"),
            ]
            .concat(),
        )
        .unwrap();
        let parent = |code: &str| {
            parsed
                .iter()
                .find(|row| row.soc_code == code)
                .unwrap()
                .parent
                .clone()
        };
        assert_eq!(
            parent("15-1252").as_deref(),
            Some("15-1200"),
            "no broad group: the minor one"
        );
        assert_eq!(parent("15-1200").as_deref(), Some("15-0000"));
        assert_eq!(parent("00-0000"), None);
    }

    #[test]
    fn release_codes_are_checked_and_named() {
        assert_eq!(Release::parse("2025A01", None).unwrap().title, "May 2025");
        assert!(Release::parse("2025", None).is_err());
        assert!(Release::parse("2025A02", None).is_err());
        assert!(
            Release::parse("202éA0", None).is_err(),
            "7 bytes, not 7 digits"
        );
    }
}
