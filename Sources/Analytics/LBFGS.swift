/// Limited-memory BFGS with a backtracking Armijo line search: the solver behind the
/// logistic probes (the same method as scikit-learn's default `lbfgs`).
enum LBFGS {
    /// Minimises f from x.
    /// - Parameters:
    ///   - x: the start, overwritten by the minimiser, (p).
    ///   - evaluate: returns f(x) and writes ∇f(x) into its second argument, (p).
    ///   - memory: correction pairs kept.
    ///   - tolerance: stop when max |∇f| falls below it.
    /// - Returns: iterations run.
    @discardableResult
    static func minimise(_ x: inout [Double], memory: Int = 10, maxIterations: Int = 300, tolerance: Double = 1e-6,
                         evaluate: ([Double], inout [Double]) -> Double) -> Int {
        let p = x.count
        var g = [Double](repeating: 0, count: p)
        var f = evaluate(x, &g)
        var s: [[Double]] = [], y: [[Double]] = [], rho: [Double] = []
        var iteration = 0
        while iteration < maxIterations {
            if g.reduce(0, { max($0, abs($1)) }) < tolerance { break }
            // Two-loop recursion: d = −H·g.
            var q = g
            var alphas = [Double](repeating: 0, count: s.count)
            for i in stride(from: s.count - 1, through: 0, by: -1) {
                alphas[i] = rho[i] * dot(s[i], q)
                for j in 0..<p { q[j] -= alphas[i] * y[i][j] }
            }
            if let ls = s.last, let ly = y.last {
                let gamma = dot(ls, ly) / dot(ly, ly)
                for j in 0..<p { q[j] *= gamma }
            }
            for i in 0..<s.count {
                let beta = rho[i] * dot(y[i], q)
                for j in 0..<p { q[j] += s[i][j] * (alphas[i] - beta) }
            }
            var d = q.map { -$0 }
            var slope = dot(g, d)
            if slope >= 0 { d = g.map { -$0 }; slope = -dot(g, g); s.removeAll(); y.removeAll(); rho.removeAll() }
            var step = s.isEmpty ? min(1, 1 / max(g.reduce(0) { $0 + abs($1) }, 1e-12)) : 1.0
            var xNew = x, gNew = g, fNew = f
            var accepted = false
            for _ in 0..<40 {
                for j in 0..<p { xNew[j] = x[j] + step * d[j] }
                fNew = evaluate(xNew, &gNew)
                if fNew <= f + 1e-4 * step * slope { accepted = true; break }
                step *= 0.5
            }
            guard accepted else { break }
            let sk = (0..<p).map { xNew[$0] - x[$0] }, yk = (0..<p).map { gNew[$0] - g[$0] }
            let sy = dot(sk, yk)
            if sy > 1e-12 {
                s.append(sk); y.append(yk); rho.append(1 / sy)
                if s.count > memory { s.removeFirst(); y.removeFirst(); rho.removeFirst() }
            }
            let improvement = f - fNew
            x = xNew; g = gNew; f = fNew
            iteration += 1
            if improvement < 1e-12 * max(abs(f), 1) { break }
        }
        return iteration
    }

    private static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var t = 0.0
        for i in a.indices { t += a[i] * b[i] }
        return t
    }
}
