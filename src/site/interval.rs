//! How long a review holds: the policy's `review_interval_days`, or a page's
//! own duration (`6 months`, `1 year`, `81 days`, `2 weeks`). Months and
//! years count on the calendar: a page reviewed on 31 August with
//! `review_in: 6 months` is due on the last day of February.

use chrono::{Days, Months, NaiveDate};

/// The longest interval folio reads: a hundred years of days.
pub const MAX_DAYS: u32 = 36_525;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    Days(u32),
    Months(u32),
}

impl Interval {
    /// The last day a review made on `reviewed` still holds.
    pub fn until(self, reviewed: NaiveDate) -> NaiveDate {
        match self {
            Interval::Days(n) => reviewed.checked_add_days(Days::new(u64::from(n))),
            Interval::Months(n) => reviewed.checked_add_months(Months::new(n)),
        }
        .unwrap_or(NaiveDate::MAX)
    }

    /// Reads a duration as sites write it: a whole number and a unit, day,
    /// week, month or year (singular or plural, any case). The error is a
    /// hint saying how to write it.
    pub fn parse(text: &str) -> Result<Interval, String> {
        let how =
            "write a whole number and a unit, such as `6 months`, `1 year`, `2 weeks` or `90 days`";
        let text = text.trim();
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        let (number, unit) = text.split_at(digits);
        let unit = unit.trim().to_ascii_lowercase();
        let Ok(n) = number.parse::<u32>() else {
            return Err(how.to_string());
        };
        if unit.is_empty() {
            return Err(format!("say the unit: `{n} days` or `{n} months`"));
        }
        let unit = unit.strip_suffix('s').unwrap_or(&unit);
        let (days, interval) = match unit {
            "day" => (u64::from(n), Interval::Days(n)),
            "week" => (u64::from(n) * 7, Interval::Days(n.saturating_mul(7))),
            "month" => (u64::from(n) * 31, Interval::Months(n)),
            "year" => (u64::from(n) * 366, Interval::Months(n.saturating_mul(12))),
            _ => return Err(how.to_string()),
        };
        if n == 0 {
            return Err(
                "a review that holds for no time is always due: give a length such as `6 months`"
                    .to_string(),
            );
        }
        if days > u64::from(MAX_DAYS) {
            return Err(
                "that is more than a hundred years: give a length such as `1 year`".to_string(),
            );
        }
        Ok(interval)
    }
}

impl std::fmt::Display for Interval {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (n, unit) = match *self {
            Interval::Days(n) => (n, "day"),
            Interval::Months(n) if n % 12 == 0 => (n / 12, "year"),
            Interval::Months(n) => (n, "month"),
        };
        write!(f, "{n} {unit}{}", if n == 1 { "" } else { "s" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn durations_read_as_sites_write_them() {
        assert_eq!(Interval::parse("6 months"), Ok(Interval::Months(6)));
        assert_eq!(Interval::parse("1 Year"), Ok(Interval::Months(12)));
        assert_eq!(Interval::parse("81 days"), Ok(Interval::Days(81)));
        assert_eq!(Interval::parse("2 weeks"), Ok(Interval::Days(14)));
        assert_eq!(Interval::parse(" 3months "), Ok(Interval::Months(3)));
        assert_eq!(Interval::parse("1 day"), Ok(Interval::Days(1)));
        for bad in [
            "",
            "soon",
            "six months",
            "6",
            "6 fortnights",
            "-1 days",
            "1.5 years",
            "0 days",
            "200 years",
            "99999999999 days",
        ] {
            assert!(Interval::parse(bad).is_err(), "{bad}");
        }
        assert!(Interval::parse("90").unwrap_err().contains("`90 days`"));
    }

    #[test]
    fn months_count_on_the_calendar() {
        assert_eq!(
            Interval::Months(6).until(date("2019-06-24")),
            date("2019-12-24")
        );
        assert_eq!(
            Interval::Months(6).until(date("2026-08-31")),
            date("2027-02-28")
        );
        assert_eq!(
            Interval::Days(81).until(date("2026-01-01")),
            date("2026-03-23")
        );
        assert_eq!(Interval::Days(10).until(NaiveDate::MAX), NaiveDate::MAX);
        assert_eq!(Interval::Months(12).to_string(), "1 year");
        assert_eq!(Interval::Months(3).to_string(), "3 months");
        assert_eq!(Interval::Days(1).to_string(), "1 day");
    }
}
