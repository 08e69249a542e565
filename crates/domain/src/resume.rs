//! The 简历 (resume) of a 任免审批表: lines of `YYYY.MM--YYYY.MM  text`, an open end written as
//! spaces, `（其间：…）` items under a period, CRLF line ends; parsed into periods and written back.

use chrono::NaiveDate;

use crate::cadre::ResumePeriod;

/// Width of `YYYY.MM--YYYY.MM  `: where a period's text and its 其间 items begin.
const INDENT: usize = 18;
/// The open end of a period that lasts: as wide as `YYYY.MM`.
const OPEN_END: &str = "       ";

/// A line of the resume that is not a period, a 其间 item or the continuation of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeError {
    /// 1-based line number.
    pub line: usize,
    pub text: String,
    pub why: &'static str,
}

impl std::fmt::Display for ResumeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "简历第 {} 行“{}”{}", self.line, self.text, self.why)
    }
}

fn year_month(s: &str) -> Option<NaiveDate> {
    let (y, m) = s.split_once('.')?;
    if y.len() != 4 || m.len() != 2 || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

/// The `（其间：…）` item a line holds, if it is one (full-width or ASCII brackets and colon).
fn during_item(line: &str) -> Option<&str> {
    let inner = line.strip_prefix('（').or_else(|| line.strip_prefix('('))?;
    let inner = inner
        .strip_suffix('）')
        .or_else(|| inner.strip_suffix(')'))?;
    let inner = inner.strip_prefix("其间")?;
    Some(
        inner
            .strip_prefix('：')
            .or_else(|| inner.strip_prefix(':'))
            .unwrap_or(inner)
            .trim(),
    )
}

/// A period line: `YYYY.MM--YYYY.MM text` or `YYYY.MM--<spaces> text`.
fn period_line(line: &str) -> Result<Option<ResumePeriod>, &'static str> {
    let Some((from, rest)) = line.split_once("--") else {
        return Ok(None);
    };
    let Some(from) = year_month(from.trim()) else {
        return Ok(None);
    };
    let rest_trimmed = rest.trim_start();
    let (to, text) = match rest_trimmed.get(..7).and_then(year_month) {
        Some(to) => (Some(to), rest_trimmed[7..].trim()),
        None if rest.starts_with(' ') || rest.is_empty() => (None, rest_trimmed),
        None => return Err("的结束年月无法识别（应为 YYYY.MM，未结束时写空格）"),
    };
    if text.is_empty() {
        return Err("没有内容");
    }
    let (text, during) = match text.find("（其间").or_else(|| text.find("(其间")) {
        Some(at) if at > 0 => match during_item(text[at..].trim()) {
            Some(item) => (text[..at].trim(), vec![item.to_owned()]),
            None => (text, vec![]),
        },
        _ => (text, vec![]),
    };
    Ok(Some(ResumePeriod {
        from,
        to,
        text: text.to_owned(),
        during,
    }))
}

/// Parse a resume (CRLF or LF line ends). Empty lines are skipped; a line that is neither a
/// period nor a 其间 item continues the text of the period before it.
pub fn parse(text: &str) -> Result<Vec<ResumePeriod>, ResumeError> {
    let mut periods: Vec<ResumePeriod> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.trim_end_matches('\r').trim();
        if line.is_empty() {
            continue;
        }
        let error = |why| ResumeError {
            line: i + 1,
            text: line.to_owned(),
            why,
        };
        if let Some(item) = during_item(line) {
            match periods.last_mut() {
                Some(p) => p.during.push(item.to_owned()),
                None => return Err(error("是“其间”项，但前面没有时间段")),
            }
            continue;
        }
        match period_line(line).map_err(error)? {
            Some(p) => periods.push(p),
            None => match periods.last_mut() {
                Some(p) if p.during.is_empty() => {
                    p.text.push('\n');
                    p.text.push_str(line);
                }
                _ => return Err(error("不是“YYYY.MM--YYYY.MM 经历”格式的时间段")),
            },
        }
    }
    Ok(periods)
}

/// Write a resume as the national software does: one period a line, two spaces before the text,
/// continuation lines and 其间 items indented to the text, CRLF line ends.
pub fn emit(periods: &[ResumePeriod]) -> String {
    let indent = " ".repeat(INDENT);
    let mut lines: Vec<String> = Vec::new();
    for p in periods {
        let to =
            p.to.map_or_else(|| OPEN_END.to_owned(), |d| d.format("%Y.%m").to_string());
        let mut text_lines = p.text.split('\n');
        lines.push(format!(
            "{}--{to}  {}",
            p.from.format("%Y.%m"),
            text_lines.next().unwrap_or_default()
        ));
        lines.extend(text_lines.map(|l| format!("{indent}{l}")));
        lines.extend(p.during.iter().map(|d| format!("{indent}（其间：{d}）")));
    }
    lines.join("\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ym(y: i32, m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, 1).unwrap()
    }

    #[test]
    fn periods_open_ends_and_during_items_round_trip() {
        let text = "2004.09--2008.07  南京大学计算机系学习\r\n2008.08--2015.03  区发改委科员\r\n                  （其间：2010.09--2012.07 在中央党校在职研究生班学习）\r\n2015.03--         区发改委副主任";
        let periods = parse(text).unwrap();
        assert_eq!(periods.len(), 3);
        assert_eq!(periods[1].from, ym(2008, 8));
        assert_eq!(periods[1].to, Some(ym(2015, 3)));
        assert_eq!(
            periods[1].during,
            vec!["2010.09--2012.07 在中央党校在职研究生班学习".to_owned()]
        );
        assert_eq!(periods[2].to, None);
        assert_eq!(periods[2].text, "区发改委副主任");
        assert_eq!(emit(&periods), text);
    }

    #[test]
    fn lf_line_ends_inline_during_and_wrapped_text_are_read() {
        let periods = parse(
            "2008.08--2015.03 区发改委科员（其间：挂职锻炼）\n2015.03--2016.01 区委办\n   副主任\n",
        )
        .unwrap();
        assert_eq!(periods[0].text, "区发改委科员");
        assert_eq!(periods[0].during, vec!["挂职锻炼".to_owned()]);
        assert_eq!(periods[1].text, "区委办\n副主任");
        assert_eq!(parse(&emit(&periods)).unwrap(), periods);
    }

    #[test]
    fn a_line_that_is_no_period_is_refused_with_its_number() {
        let e = parse("读书\n2008.08--2015.03 区发改委科员").unwrap_err();
        assert_eq!(e.line, 1);
        let e = parse("2008.08--2015.13 区发改委科员").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.to_string().contains("结束年月"));
    }
}
