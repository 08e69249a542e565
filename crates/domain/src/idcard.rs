//! Resident identity numbers (公民身份号码, GB 11643-1999): structure, birth date, gender and the ISO 7064 MOD 11-2 check digit.

use chrono::NaiveDate;

use crate::{error::DomainError, types::Gender};

/// Weights of the first 17 digits (ISO 7064:1983 MOD 11-2).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each remainder 0..=10.
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// A validated 18-character resident identity number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumber {
    /// The number, upper-cased (`x` → `X`).
    pub number: String,
    /// 行政区划代码 (first six digits).
    pub region: String,
    /// 出生日期 (digits 7–14).
    pub birth_date: NaiveDate,
    /// From the 17th digit: odd male, even female.
    pub gender: Gender,
}

/// The check character for the first 17 digits, or `None` if they are not 17 ASCII digits.
pub fn check_digit(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    CHECK.get((sum % 11) as usize).copied()
}

/// Validate a resident identity number: 18 characters, a plausible region, a real birth date
/// not before 1900, and the right check digit.
pub fn parse(input: &str) -> Result<IdNumber, DomainError> {
    let number = input.trim().to_ascii_uppercase();
    let chars: Vec<char> = number.chars().collect();
    let well_formed = chars.len() == 18
        && chars[..17].iter().all(char::is_ascii_digit)
        && (chars[17].is_ascii_digit() || chars[17] == 'X');
    if !well_formed {
        return Err(DomainError::invalid(
            "ID_NUMBER_FORMAT",
            format!(
                "身份证号 “{}” 格式不正确: 应为 17 位数字加 1 位校验码 (数字或 X), 共 18 位",
                input.trim()
            ),
        ));
    }
    if !matches!(chars[0], '1'..='8') {
        return Err(DomainError::invalid(
            "ID_NUMBER_REGION",
            format!("身份证号 “{number}” 的行政区划代码 {} 不存在", &number[..6]),
        ));
    }
    let birth = &number[6..14];
    let birth_date = NaiveDate::parse_from_str(birth, "%Y%m%d")
        .ok()
        .filter(|d| *d >= NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN))
        .ok_or_else(|| {
            DomainError::invalid(
                "ID_NUMBER_BIRTH_DATE",
                format!("身份证号 “{number}” 中的出生日期 {birth} 不是有效日期"),
            )
        })?;
    let expected = check_digit(&number[..17]).ok_or_else(|| {
        DomainError::invalid(
            "ID_NUMBER_FORMAT",
            format!("身份证号 “{number}” 格式不正确"),
        )
    })?;
    if chars[17] != expected {
        return Err(DomainError::invalid(
            "ID_NUMBER_CHECK_DIGIT",
            format!(
                "身份证号 “{number}” 校验码错误: 末位为 {}, 按 GB 11643 应为 {expected}",
                chars[17]
            ),
        ));
    }
    let gender = if (chars[16] as u32 - '0' as u32) % 2 == 1 {
        Gender::Male
    } else {
        Gender::Female
    };
    Ok(IdNumber {
        region: number[..6].to_owned(),
        number,
        birth_date,
        gender,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_number_with_right_check_digit_is_accepted() {
        // The worked example of GB 11643-1999.
        let id = parse("11010519491231002x").unwrap();
        assert_eq!(id.number, "11010519491231002X");
        assert_eq!(
            id.birth_date,
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert_eq!(id.gender, Gender::Female);
        assert_eq!(id.region, "110105");
        let id = parse("440524188001010014").unwrap_err();
        assert_eq!(id.code(), "ID_NUMBER_BIRTH_DATE", "born before 1900");
        let id = parse("320102199003071234").unwrap_err();
        assert_eq!(id.code(), "ID_NUMBER_CHECK_DIGIT");
        let first17 = "32010219900307123";
        let good = format!("{first17}{}", check_digit(first17).unwrap());
        assert_eq!(parse(&good).unwrap().gender, Gender::Male);
    }

    #[test]
    fn id_number_with_wrong_check_digit_is_refused() {
        let err = parse("110105194912310021").unwrap_err();
        assert_eq!(err.code(), "ID_NUMBER_CHECK_DIGIT");
        assert!(err.message().contains("应为 X"), "{err}");
    }

    #[test]
    fn id_number_with_bad_shape_or_date_is_refused() {
        assert_eq!(
            parse("1101051949123100").unwrap_err().code(),
            "ID_NUMBER_FORMAT"
        );
        assert_eq!(
            parse("11010519491231002Y").unwrap_err().code(),
            "ID_NUMBER_FORMAT"
        );
        assert_eq!(parse("").unwrap_err().code(), "ID_NUMBER_FORMAT");
        assert_eq!(
            parse("01010519491231002X").unwrap_err().code(),
            "ID_NUMBER_REGION"
        );
        let first17 = "11010519490230002";
        let bad_date = format!("{first17}{}", check_digit(first17).unwrap());
        assert_eq!(parse(&bad_date).unwrap_err().code(), "ID_NUMBER_BIRTH_DATE");
    }

    #[test]
    fn every_check_digit_is_distinct_per_remainder() {
        // Changing any single digit of a valid number invalidates it.
        let valid = "11010519491231002X";
        for i in 0..17 {
            let mut bytes = valid.as_bytes().to_vec();
            bytes[i] = if bytes[i] == b'9' { b'0' } else { bytes[i] + 1 };
            let mutated = String::from_utf8(bytes).unwrap();
            assert!(parse(&mutated).is_err(), "{mutated} should be refused");
        }
    }
}
