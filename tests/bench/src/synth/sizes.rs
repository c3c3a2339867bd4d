//! How many fields each object of a synthetic org gets.
//!
//! Real orgs have many small objects and a few huge ones: field counts are close
//! to log-normal. Here the median is [`MEDIAN_FIELDS`] and the spread is chosen
//! so that in a 1,000-object org the largest object has [`MAX_FIELDS`] fields.
//! Counts are the distribution's quantiles at `(k + 0.5) / n`, so an org of `n`
//! objects follows the distribution exactly, with no sampling noise; the seed
//! only decides which object gets which count.

/// The median number of fields per object.
pub const MEDIAN_FIELDS: f64 = 12.0;

/// The most fields an object gets (Salesforce allows up to 800 custom fields
/// on an object in the largest editions).
pub const MAX_FIELDS: usize = 800;

/// The fewest fields an object gets: its `Id` and one more.
pub const MIN_FIELDS: usize = 2;

/// The org size whose largest object reaches [`MAX_FIELDS`].
const REFERENCE_ORG: f64 = 1_000.0;

/// The log-normal spread: `ln(MAX / MEDIAN) / z(1 - 0.5 / 1000)`, about 1.28.
pub fn sigma() -> f64 {
    (MAX_FIELDS as f64 / MEDIAN_FIELDS).ln() / inverse_normal_cdf(1.0 - 0.5 / REFERENCE_ORG)
}

/// Field counts for an org of `n` objects, ascending.
pub fn field_counts(n: usize) -> Vec<usize> {
    let sigma = sigma();
    (0..n)
        .map(|k| {
            let p = (k as f64 + 0.5) / n as f64;
            let fields = (MEDIAN_FIELDS.ln() + sigma * inverse_normal_cdf(p))
                .exp()
                .round();
            (fields as usize).clamp(MIN_FIELDS, MAX_FIELDS)
        })
        .collect()
}

/// The standard normal quantile function (Acklam's rational approximation,
/// relative error below 1.2e-9), for `p` in (0, 1).
pub fn inverse_normal_cdf(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - LOW {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_of_the_standard_normal() {
        for (p, z) in [
            (0.5, 0.0),
            (0.975, 1.959_964),
            (0.025, -1.959_964),
            (0.9995, 3.290_527),
            (0.001, -3.090_232),
        ] {
            assert!(
                (inverse_normal_cdf(p) - z).abs() < 1e-5,
                "z({p}) = {} not {z}",
                inverse_normal_cdf(p)
            );
        }
    }

    #[test]
    fn a_thousand_objects_have_median_twelve_and_a_tail_to_800() {
        let counts = field_counts(1000);
        assert_eq!(counts.len(), 1000);
        assert!(counts.windows(2).all(|w| w[0] <= w[1]), "ascending");
        assert_eq!((counts[499] + counts[500]) / 2, 12, "median");
        assert_eq!(counts.last().copied(), Some(MAX_FIELDS), "largest");
        assert!(counts
            .iter()
            .all(|&c| (MIN_FIELDS..=MAX_FIELDS).contains(&c)));
        let over_100 = counts.iter().filter(|&&c| c > 100).count();
        assert!(
            (30..=80).contains(&over_100),
            "{over_100} objects over 100 fields: a thin tail"
        );
    }

    #[test]
    fn smaller_orgs_keep_the_median() {
        let counts = field_counts(101);
        assert_eq!(counts[50], 12);
        assert!(
            counts[100] < MAX_FIELDS,
            "a 101-object org's largest is below the 1,000-object maximum"
        );
    }
}
