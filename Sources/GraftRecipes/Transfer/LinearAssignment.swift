/// The linear assignment problem: match the rows of a cost matrix to distinct columns so that
/// the total cost is smallest, by the Hungarian method (Kuhn 1955, Munkres 1957) in its O(n²m)
/// shortest-augmenting-path form with row and column potentials. Ties go to the lower column
/// index, so the answer is deterministic.
public enum LinearAssignment {
    /// For a rows × cols matrix of finite costs, the column assigned to each row (distinct
    /// columns; -1 for the rows left over when there are more rows than columns), minimising
    /// the sum of the chosen costs.
    public static func minimumCost(_ cost: [[Double]]) -> [Int] {
        let rows = cost.count, cols = cost.first?.count ?? 0
        precondition(cost.allSatisfy { $0.count == cols }, "a cost matrix needs rows of equal length")
        guard rows > 0 && cols > 0 else { return [Int](repeating: -1, count: rows) }
        if rows > cols {
            // Assign columns to rows instead, then invert.
            let transposed = (0..<cols).map { c in (0..<rows).map { cost[$0][c] } }
            let rowOfColumn = minimumCost(transposed)
            var out = [Int](repeating: -1, count: rows)
            for (c, r) in rowOfColumn.enumerated() where r >= 0 { out[r] = c }
            return out
        }
        let n = rows, m = cols
        var u = [Double](repeating: 0, count: n + 1), v = [Double](repeating: 0, count: m + 1)
        var p = [Int](repeating: 0, count: m + 1), way = [Int](repeating: 0, count: m + 1)
        for i in 1...n {
            p[0] = i
            var j0 = 0
            var minv = [Double](repeating: .infinity, count: m + 1)
            var used = [Bool](repeating: false, count: m + 1)
            repeat {
                used[j0] = true
                let i0 = p[j0]
                var delta = Double.infinity, j1 = 0
                for j in 1...m where !used[j] {
                    let cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j] { minv[j] = cur; way[j] = j0 }
                    if minv[j] < delta { delta = minv[j]; j1 = j }
                }
                for j in 0...m {
                    if used[j] { u[p[j]] += delta; v[j] -= delta } else { minv[j] -= delta }
                }
                j0 = j1
            } while p[j0] != 0
            repeat {
                let j1 = way[j0]
                p[j0] = p[j1]
                j0 = j1
            } while j0 != 0
        }
        var out = [Int](repeating: -1, count: n)
        for j in 1...m where p[j] != 0 { out[p[j] - 1] = j - 1 }
        return out
    }
}
