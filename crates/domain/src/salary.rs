//! Salary figures: decimal money, never negative, percentiles in order.

use crate::InvalidValue;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An amount of money in currency units (dollars, not cents), with at most two
/// decimal places so that nothing is rounded on the way to or from storage.
pub type Money = Decimal;

/// The figures as given, before their order is checked.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncheckedFigures {
    pub min: Option<Money>,
    pub max: Option<Money>,
    pub mean: Option<Money>,
    pub p10: Option<Money>,
    pub p25: Option<Money>,
    pub median: Option<Money>,
    pub p75: Option<Money>,
    pub p90: Option<Money>,
}

/// At least one figure; none negative; `p10 ≤ p25 ≤ median ≤ p75 ≤ p90` for the
/// percentiles given; `min ≤ max`, and min and max bound every other figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "UncheckedFigures")]
pub struct SalaryFigures {
    /// Lowest figure of the range.
    #[schema(value_type = Option<f64>, example = json!(null))]
    min: Option<Money>,
    /// Highest figure of the range.
    #[schema(value_type = Option<f64>, example = json!(null))]
    max: Option<Money>,
    /// Average (arithmetic mean).
    #[schema(value_type = Option<f64>, example = 118295)]
    mean: Option<Money>,
    /// 10th percentile.
    #[schema(value_type = Option<f64>)]
    p10: Option<Money>,
    /// 25th percentile.
    #[schema(value_type = Option<f64>)]
    p25: Option<Money>,
    /// Median (50th percentile).
    #[schema(value_type = Option<f64>)]
    median: Option<Money>,
    /// 75th percentile.
    #[schema(value_type = Option<f64>)]
    p75: Option<Money>,
    /// 90th percentile.
    #[schema(value_type = Option<f64>)]
    p90: Option<Money>,
}

/// The name of the figure that broke a rule, for error messages.
pub type FigureName = &'static str;

impl SalaryFigures {
    /// Figures are stored with 12 whole digits: a trillion is out of range
    /// for any salary in any currency we hold.
    pub const TOO_MUCH: i64 = 1_000_000_000_000;

    pub fn new(figures: UncheckedFigures) -> Result<Self, InvalidValue> {
        let named = [
            ("min", figures.min),
            ("max", figures.max),
            ("mean", figures.mean),
            ("p10", figures.p10),
            ("p25", figures.p25),
            ("median", figures.median),
            ("p75", figures.p75),
            ("p90", figures.p90),
        ];
        if named.iter().all(|(_, value)| value.is_none()) {
            return Err(InvalidValue::new(
                "no_figures",
                "give at least one of min, max, mean, p10, p25, median, p75, p90",
            ));
        }
        for (name, value) in named.iter().filter_map(|(n, v)| v.map(|v| (n, v))) {
            if value.is_sign_negative() && !value.is_zero() {
                return Err(InvalidValue::new(
                    "negative",
                    format!("{name} must not be negative, got {value}"),
                ));
            }
            if value >= Money::from(Self::TOO_MUCH) {
                return Err(InvalidValue::new(
                    "out_of_range",
                    format!("{name} must be less than {}, got {value}", Self::TOO_MUCH),
                ));
            }
            if value.normalize().scale() > 2 {
                return Err(InvalidValue::new(
                    "too_precise",
                    format!("{name} has more than two decimal places: {value}"),
                ));
            }
        }
        let ordered: [(FigureName, Option<Money>); 7] = [
            ("min", figures.min),
            ("p10", figures.p10),
            ("p25", figures.p25),
            ("median", figures.median),
            ("p75", figures.p75),
            ("p90", figures.p90),
            ("max", figures.max),
        ];
        let present: Vec<(FigureName, Money)> = ordered
            .iter()
            .filter_map(|(name, value)| value.map(|v| (*name, v)))
            .collect();
        for pair in present.windows(2) {
            let ((lower_name, lower), (upper_name, upper)) = (pair[0], pair[1]);
            if lower > upper {
                return Err(InvalidValue::new(
                    "out_of_order",
                    format!("{lower_name} ({lower}) must not exceed {upper_name} ({upper})"),
                ));
            }
        }
        if let Some(mean) = figures.mean {
            let below_min = figures.min.is_some_and(|min| mean < min);
            let above_max = figures.max.is_some_and(|max| mean > max);
            if below_min || above_max {
                return Err(InvalidValue::new(
                    "out_of_order",
                    format!("mean ({mean}) must lie between min and max"),
                ));
            }
        }
        Ok(Self {
            min: figures.min,
            max: figures.max,
            mean: figures.mean,
            p10: figures.p10,
            p25: figures.p25,
            median: figures.median,
            p75: figures.p75,
            p90: figures.p90,
        })
    }

    pub fn min(&self) -> Option<Money> {
        self.min
    }
    pub fn max(&self) -> Option<Money> {
        self.max
    }
    pub fn mean(&self) -> Option<Money> {
        self.mean
    }
    pub fn p10(&self) -> Option<Money> {
        self.p10
    }
    pub fn p25(&self) -> Option<Money> {
        self.p25
    }
    pub fn median(&self) -> Option<Money> {
        self.median
    }
    pub fn p75(&self) -> Option<Money> {
        self.p75
    }
    pub fn p90(&self) -> Option<Money> {
        self.p90
    }
}

impl TryFrom<UncheckedFigures> for SalaryFigures {
    type Error = InvalidValue;
    fn try_from(figures: UncheckedFigures) -> Result<Self, Self::Error> {
        Self::new(figures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn money(value: i64) -> Option<Money> {
        Some(Decimal::from(value))
    }

    #[test]
    fn figures_beyond_what_storage_holds_are_refused() {
        let too_much = SalaryFigures::new(UncheckedFigures {
            median: money(SalaryFigures::TOO_MUCH),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(too_much.code, "out_of_range");
        assert!(too_much.message.contains("median"), "{}", too_much.message);
        assert!(
            SalaryFigures::new(UncheckedFigures {
                median: money(SalaryFigures::TOO_MUCH - 1),
                ..Default::default()
            })
            .is_ok()
        );
    }

    #[test]
    fn every_figure_is_kept_as_given() {
        let figures = SalaryFigures::new(UncheckedFigures {
            min: money(50_000),
            max: money(250_000),
            mean: money(120_000),
            p10: money(60_000),
            p25: money(80_000),
            median: money(110_000),
            p75: money(150_000),
            p90: money(200_000),
        })
        .unwrap();
        let read = [
            figures.min(),
            figures.max(),
            figures.mean(),
            figures.p10(),
            figures.p25(),
            figures.median(),
            figures.p75(),
            figures.p90(),
        ];
        let given = [
            50_000, 250_000, 120_000, 60_000, 80_000, 110_000, 150_000, 200_000,
        ]
        .map(money);
        assert_eq!(read, given);
    }

    #[test]
    fn a_single_mean_is_enough() {
        let figures = SalaryFigures::new(UncheckedFigures {
            mean: money(118_295),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(figures.mean(), money(118_295));
    }

    #[test]
    fn no_figure_at_all_is_refused() {
        assert_eq!(
            SalaryFigures::new(UncheckedFigures::default())
                .unwrap_err()
                .code,
            "no_figures"
        );
    }

    #[test]
    fn negative_figures_are_refused() {
        let error = SalaryFigures::new(UncheckedFigures {
            p25: money(-1),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(error.code, "negative");
        assert!(error.message.contains("p25"));
    }

    #[test]
    fn more_than_cents_is_refused_rather_than_rounded() {
        let figures = UncheckedFigures {
            mean: Some(Decimal::new(12_345, 3)),
            ..Default::default()
        };
        assert_eq!(SalaryFigures::new(figures).unwrap_err().code, "too_precise");
        let cents = UncheckedFigures {
            mean: Some(Decimal::new(5577, 2)),
            ..Default::default()
        };
        assert!(SalaryFigures::new(cents).is_ok());
    }

    #[test]
    fn min_above_max_is_refused() {
        let error = SalaryFigures::new(UncheckedFigures {
            min: money(10),
            max: money(5),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(error.code, "out_of_order");
        assert!(
            error.message.contains("min") && error.message.contains("max"),
            "{}",
            error.message
        );
    }

    #[test]
    fn mean_outside_min_and_max_is_refused() {
        let figures = UncheckedFigures {
            min: money(10),
            max: money(20),
            mean: money(25),
            ..Default::default()
        };
        assert_eq!(
            SalaryFigures::new(figures).unwrap_err().code,
            "out_of_order"
        );
    }

    #[test]
    fn figures_deserialize_through_the_same_checks() {
        let error = serde_json::from_str::<SalaryFigures>(r#"{"p10": 50, "p90": 40}"#).unwrap_err();
        assert!(error.to_string().contains("p10"), "{error}");
        assert!(serde_json::from_str::<SalaryFigures>(r#"{"median": 50, "bonus": 1}"#).is_err());
    }

    #[test]
    fn decimal_figures_from_json_keep_their_cents() {
        let figures: SalaryFigures =
            serde_json::from_str(r#"{"median": 55.77, "p90": 110015.1}"#).unwrap();
        assert_eq!(figures.median(), Some(Decimal::new(5577, 2)));
        assert_eq!(figures.p90(), Some(Decimal::new(1_100_151, 1)));
    }

    proptest! {
        #[test]
        fn any_sorted_percentiles_are_accepted(mut values in proptest::collection::vec(0i64..1_000_000, 5)) {
            values.sort_unstable();
            let figures = UncheckedFigures {
                p10: money(values[0]), p25: money(values[1]), median: money(values[2]),
                p75: money(values[3]), p90: money(values[4]), ..Default::default()
            };
            prop_assert!(SalaryFigures::new(figures).is_ok());
        }

        #[test]
        fn any_inverted_pair_of_percentiles_is_refused(
            values in proptest::collection::vec(0i64..1_000_000, 5),
            swap in 0usize..4,
        ) {
            let mut sorted = values.clone();
            sorted.sort_unstable();
            prop_assume!(sorted[swap] != sorted[swap + 1]);
            sorted.swap(swap, swap + 1);
            let figures = UncheckedFigures {
                p10: money(sorted[0]), p25: money(sorted[1]), median: money(sorted[2]),
                p75: money(sorted[3]), p90: money(sorted[4]), ..Default::default()
            };
            prop_assert_eq!(SalaryFigures::new(figures).unwrap_err().code, "out_of_order");
        }

        #[test]
        fn accepted_figures_are_ordered(
            min in proptest::option::of(0i64..500_000), max in proptest::option::of(0i64..500_000),
            median in proptest::option::of(0i64..500_000),
        ) {
            let figures = UncheckedFigures { min: min.map(Decimal::from), max: max.map(Decimal::from), median: median.map(Decimal::from), ..Default::default() };
            if let Ok(figures) = SalaryFigures::new(figures) {
                if let (Some(low), Some(high)) = (figures.min(), figures.max()) { prop_assert!(low <= high); }
                if let (Some(low), Some(mid)) = (figures.min(), figures.median()) { prop_assert!(low <= mid); }
                if let (Some(mid), Some(high)) = (figures.median(), figures.max()) { prop_assert!(mid <= high); }
            }
        }
    }
}
