import Testing
@testable import Analytics

@Suite struct ExactSearchTests {
    @Test func matchesBruteForceAcrossBlocksAndBatches() throws {
        let dim = 16
        let data = Fixtures.clustered(n: 1000, dim: dim, groups: 50)
        let queries = Array(data.rows[0 ..< 37 * dim])
        // Small blocks and batches force the tiled path over several tiles.
        let search = ExactSearch(blockRows: 96, queryBatch: 10)
        let got = try search.search(queries: queries, base: InMemoryRows(data.rows, dim: dim), k: 7)
        let want = Fixtures.bruteTopK(queries: queries, base: data.rows, dim: dim, k: 7)
        #expect(got.map { $0.map(\.index) } == want)
        for list in got { #expect(zip(list, list.dropFirst()).allSatisfy { $0.score >= $1.score }) }
        #expect(abs(got[0][0].score - 1) < 1e-5)   // query 0 is base row 0
    }

    @Test func excludesSelfAndSameGroup() throws {
        let dim = 8
        let data = Fixtures.clustered(n: 300, dim: dim, groups: 30)
        let picks = [0, 5, 299]
        let queries = picks.flatMap { Array(data.rows[$0 * dim ..< ($0 + 1) * dim]) }
        let exclusion = Exclusion(baseGroups: data.groups, queryGroups: picks.map { data.groups[$0] }, queryRows: picks)
        let got = try ExactSearch(blockRows: 50).search(queries: queries, base: InMemoryRows(data.rows, dim: dim), k: 5, exclusion: exclusion)
        let want = Fixtures.bruteTopK(queries: queries, base: data.rows, dim: dim, k: 5) { q, j in
            j == picks[q] || data.groups[j] == data.groups[picks[q]]
        }
        #expect(got.map { $0.map(\.index) } == want)
        for (q, list) in got.enumerated() { #expect(!list.contains { data.groups[$0.index] == data.groups[picks[q]] }) }
    }

    @Test func fewerRowsThanKReturnsWhatExists() throws {
        let rows: [Float] = [1, 0, 0, 1, 1, 1]
        let got = try ExactSearch().search(queries: [1, 0], base: InMemoryRows(rows, dim: 2), k: 10, exclusion: Exclusion(queryRows: [0]))
        #expect(got[0].map(\.index) == [2, 1])
    }

    @Test func ivfReachesTargetRecallAndListsPartitionRows() throws {
        let dim = 16
        let data = Fixtures.clustered(n: 4000, dim: dim, groups: 200)
        let base = InMemoryRows(data.rows, dim: dim)
        var index = try IVFIndex.build(base: base, lists: 32)
        #expect(index.offsets.last == 4000)
        #expect(Set(index.order.map(Int.init)).count == 4000)
        var ordered = [Float]()
        try index.writeListOrdered(base: base, chunkRows: 1500) { first, chunk in
            #expect(first * dim == ordered.count)
            ordered += chunk
        }
        let listOrdered = InMemoryRows(ordered, dim: dim)
        let tried = try index.calibrate(base: base, listOrdered: listOrdered, k: 10, target: 0.95)
        #expect(index.measuredRecall! >= 0.95)
        #expect(tried.last!.nprobe == index.nprobe)
        // Scanning every list is exact.
        let queries = Array(data.rows[0 ..< 20 * dim])
        let all = try index.search(queries: queries, listOrdered: listOrdered, k: 10, nprobe: 32)
        let exact = try ExactSearch().search(queries: queries, base: base, k: 10)
        #expect(IVFIndex.recall(all, exact) == 1)
    }
}

@Suite struct MissingValueTests {
    @Test func nanRowsNeverEnterATopKList() throws {
        // Row 1 is an absent modality's fingerprint (all NaN).
        let rows: [Float] = [1, 0, .nan, .nan, 0.9, 0.1, 0, 1]
        let got = try ExactSearch().search(queries: [1, 0], base: InMemoryRows(rows, dim: 2), k: 4)
        #expect(got[0].map(\.index) == [0, 2, 3])
    }

    @Test func handcraftedImputationUsesTrainingMeans() {
        var train: [Float] = [1, .nan, 3, 4, .nan, .nan]   // (3, 2)
        var test: [Float] = [.nan, .nan]
        HandcraftedMatrix.impute(train: &train, test: &test, dim: 2)
        #expect(train == [1, 4, 3, 4, 2, 4])
        #expect(test == [2, 4])
    }
}
