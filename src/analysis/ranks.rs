//! Ranking with ties, as `scipy.stats.rankdata(method="average")`.

/// Average ranks (1-based) of `values`, and the sizes of the tie groups (t ≥ 2).
pub fn average_ranks(values: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut ties = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end (0-based) share the mean of ranks start+1 ..= end.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        if end - start > 1 {
            ties.push(end - start);
        }
        start = end;
    }
    (ranks, ties)
}

/// Σ (t³ − t) over tie groups: the quantity every tie correction uses.
pub fn tie_sum(ties: &[usize]) -> f64 {
    ties.iter()
        .map(|&t| {
            let t = t as f64;
            t * t * t - t
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_the_average_rank() {
        let (ranks, ties) = average_ranks(&[10.0, 20.0, 10.0, 30.0, 20.0, 20.0]);
        assert_eq!(ranks, vec![1.5, 4.0, 1.5, 6.0, 4.0, 4.0]);
        assert_eq!(ties, vec![2, 3]);
        assert_eq!(tie_sum(&ties), 6.0 + 24.0);
        assert_eq!(average_ranks(&[]).0, Vec::<f64>::new());
    }
}
