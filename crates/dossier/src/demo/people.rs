//! Synthetic people for the demo district: Chinese names and valid resident ID numbers (GB 11643), drawn from a seeded RNG.

use chrono::{Datelike, NaiveDate};
use dossier_domain::{idcard, types::Gender};
use rand::Rng;

/// The administrative division code of 泰州市姜堰区, the first six digits of a local ID number.
const JIANGYAN: &str = "321204";

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "潘", "袁", "蒋", "蔡", "余", "杜", "叶", "程", "魏", "苏", "吕", "丁", "任",
    "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "缪", "仲", "顾", "储",
];

const GIVEN_MALE: &[&str] = &[
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞",
    "建国", "志强", "海峰", "晓东", "文斌", "国栋", "俊杰", "宏伟", "立新", "振华", "建军", "卫东",
    "春雷", "永刚", "云龙", "浩然", "子轩", "宇航", "天佑", "正阳",
];

const GIVEN_FEMALE: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "莉", "萍", "红", "琳",
    "秀英", "丽华", "海燕", "晓梅", "雅琴", "文静", "欣怡", "婉婷", "佳慧", "梦瑶", "思雨", "雨涵",
    "春燕", "美玲", "玉兰", "慧敏",
];

const ETHNICITIES: &[(&str, u32)] = &[("汉族", 97), ("回族", 2), ("满族", 1)];

/// One synthetic person.
#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    pub id_number: String,
    pub ethnicity: String,
}

/// Draws people with unique ID numbers.
#[derive(Debug, Default)]
pub struct People {
    /// Sequence numbers used per birth date, so no two people share an ID number.
    used: std::collections::HashMap<NaiveDate, u32>,
}

impl People {
    /// A person born between `born_from` and `born_to` (years, inclusive).
    pub fn draw(&mut self, rng: &mut impl Rng, born_from: i32, born_to: i32) -> Person {
        let male = rng.random_bool(0.62);
        let surname = SURNAMES[rng.random_range(0..SURNAMES.len())];
        let given = if male {
            GIVEN_MALE[rng.random_range(0..GIVEN_MALE.len())]
        } else {
            GIVEN_FEMALE[rng.random_range(0..GIVEN_FEMALE.len())]
        };
        let year = rng.random_range(born_from..=born_to);
        let birth_date = NaiveDate::from_ymd_opt(year, 1, 1)
            .and_then(|d| d.checked_add_days(chrono::Days::new(rng.random_range(0..365))))
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 6, 1).unwrap_or_default());
        let id_number = self.id_number(birth_date, male);
        let roll = rng.random_range(0..100);
        let mut acc = 0;
        let mut ethnicity = "汉族";
        for (name, weight) in ETHNICITIES {
            acc += weight;
            if roll < acc {
                ethnicity = name;
                break;
            }
        }
        Person {
            name: format!("{surname}{given}"),
            gender: if male { Gender::Male } else { Gender::Female },
            birth_date,
            id_number,
            ethnicity: ethnicity.to_owned(),
        }
    }

    /// A valid, unused ID number for a birth date: region, date, sequence (odd for men), check digit.
    fn id_number(&mut self, birth: NaiveDate, male: bool) -> String {
        let counter = self.used.entry(birth).or_insert(0);
        *counter += 1;
        // Sequences 010, 011, 012, … keep the parity rule: odd for men, even for women.
        let seq = 8 + *counter * 2 + u32::from(male);
        let first17 = format!(
            "{JIANGYAN}{:04}{:02}{:02}{:03}",
            birth.year(),
            birth.month(),
            birth.day(),
            seq % 1000
        );
        let check = idcard::check_digit(&first17).unwrap_or('0');
        format!("{first17}{check}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn drawn_id_numbers_are_valid_unique_and_match_birth_and_gender() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut people = People::default();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..2000 {
            let p = people.draw(&mut rng, 1970, 1972);
            let parsed = idcard::parse(&p.id_number).expect("valid ID number");
            assert_eq!(parsed.birth_date, p.birth_date);
            assert_eq!(parsed.gender, p.gender);
            assert!(
                seen.insert(p.id_number.clone()),
                "duplicate {}",
                p.id_number
            );
            assert!(p.name.chars().count() >= 2);
        }
    }
}
