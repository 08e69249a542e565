//! Cadres named in refusals by name and id: the domain names a cadre by id as 干部「id」 (it holds only the streams a command reads), and the answer reads 干部「姓名（id）」 from the profiles.

/// `message` with every 干部「id」 whose name `name_of` knows written 干部「姓名（id）」; an id
/// already named, or unknown (not registered), stays as it is.
pub fn name_cadres(message: &str, name_of: impl Fn(&str) -> Option<String>) -> String {
    const OPEN: &str = "干部「";
    let mut out = String::with_capacity(message.len() + 16);
    let mut rest = message;
    while let Some(at) = rest.find(OPEN) {
        let (before, from) = rest.split_at(at + OPEN.len());
        out.push_str(before);
        let Some(end) = from.find('」') else {
            rest = from;
            break;
        };
        let id = &from[..end];
        match name_of(id).filter(|_| !id.contains('（')) {
            Some(name) => {
                out.push_str(&name);
                out.push('（');
                out.push_str(id);
                out.push('）');
            }
            None => out.push_str(id),
        }
        rest = &from[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::name_cadres;

    fn names(id: &str) -> Option<String> {
        match id {
            "jiangwei" => Some("姜维".to_owned()),
            "c002" => Some("王平".to_owned()),
            _ => None,
        }
    }

    #[test]
    fn every_known_cadre_is_named_by_name_and_id() {
        assert_eq!(
            name_cadres(
                "干部「jiangwei」在本批次中出现两次, 干部「c002」也是",
                names
            ),
            "干部「姜维（jiangwei）」在本批次中出现两次, 干部「王平（c002）」也是"
        );
        assert_eq!(
            name_cadres("后备干部「c002」已退出", names),
            "后备干部「王平（c002）」已退出"
        );
    }

    #[test]
    fn unknown_ids_named_ones_and_other_brackets_stay_as_they_are() {
        for m in [
            "干部「nobody」尚未登记",
            "干部「姜维（jiangwei）」已登记",
            "岗位「jiangwei」已撤销",
            "干部「jiangwei",
            "",
        ] {
            assert_eq!(name_cadres(m, names), m);
        }
    }
}
