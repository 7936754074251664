import Testing
@testable import Analytics
import Support

@Suite struct ProjectionTests {
    static func pcaData() -> [Float] {
        var rng = SplitMix64(seed: 4)
        return (0..<(150 * 6)).map { i in Fixtures.gaussian(&rng) * Float(1 + i % 6) }
    }

    static func pcaInput() -> [String: Any] { ["input": pcaData(), "dim": 6, "components": 2] }

    static func trustworthinessData() -> (x: [Float], y: [Float]) {
        let data = Fixtures.clustered(n: 120, dim: 8, groups: 6, noise: 0.6)
        var rng = SplitMix64(seed: 1)
        // A projection that keeps some structure: the first column plus noise, and the second.
        var y = [Float]()
        for i in 0..<120 {
            let jitter: Float = 0.3 * Fixtures.gaussian(&rng)
            y.append(data.rows[i * 8] + jitter); y.append(data.rows[i * 8 + 1])
        }
        return (data.rows, y)
    }

    static func trustworthinessInput() -> [String: Any] {
        let d = trustworthinessData()
        return ["input": d.x, "dim": 8, "embedding": d.y, "k": 5]
    }

    @Test func pcaEqualsScikitLearnUpToSign() throws {
        let dim = 6
        let x = Self.pcaData()
        let pca = try PCA.fit(InMemoryRows(x, dim: dim), components: 2, blockRows: 40)
        guard let want = try Oracle.answer("pca") else { return }
        let comps = Oracle.floats(want, "components"), variance = Oracle.floats(want, "explained_variance")
        for c in 0..<2 {
            let a = pca.components[c * dim ..< (c + 1) * dim], b = comps[c * dim ..< (c + 1) * dim]
            let dot = zip(a, b).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            #expect(abs(abs(dot) - 1) < 1e-4, "component \(c): |cos| = \(abs(dot))")
            #expect(abs(Float(pca.explainedVariance[c]) - variance[c]) < 1e-3 * variance[c])
        }
        let projected = pca.transform(x)
        #expect(projected.count == 150 * 2)
    }

    @Test func trustworthinessEqualsScikitLearn() throws {
        let d = Self.trustworthinessData()
        let got = try Trustworthiness.score(input: d.x, dim: 8, embedding: d.y, embeddingDim: 2, k: 5)
        guard let want = try Oracle.answer("trustworthiness") else { return }
        #expect(abs(got - Oracle.number(want, "trustworthiness")) < 1e-9)
    }

    @Test func umapIsSeededAndKeepsNeighbourhoods() throws {
        let dim = 12
        let data = Fixtures.clustered(n: 400, dim: dim, groups: 8, noise: 0.4)
        let umap = UMAP(neighbours: 10, epochs: 100, seed: 3)
        let a = try umap.embed(data.rows, dim: dim), b = try umap.embed(data.rows, dim: dim)
        #expect(a == b)
        #expect(a.allSatisfy { $0.isFinite })
        let t = try Trustworthiness.score(input: data.rows, dim: dim, embedding: a, embeddingDim: 2, k: 10)
        #expect(t > 0.9, "trustworthiness \(t)")
        #expect(throws: AnalyticsError.self) { try UMAP(neighbours: 15).embed(Array(data.rows[0 ..< 10 * dim]), dim: dim) }
    }
}
