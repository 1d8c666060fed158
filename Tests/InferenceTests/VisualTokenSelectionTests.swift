import XCTest
@testable import Inference

/// The pure EfficientVLA selection rule (Eqs. 2–5) on hand-made attention maps and features.
final class VisualTokenSelectionTests: XCTestCase {
    private func select(_ scores: [Double], _ features: [Float], width: Int, budget: Int, key: Int, alpha: Double)
        -> VisualTokenSelection.Selection {
        features.withUnsafeBufferPointer {
            VisualTokenSelection.select(scores: scores, features: $0, width: width, budget: budget, keyTokens: key, taskRatio: alpha)
        }
    }

    /// Rows: BOS, 3 visual (1…3), 2 text (4, 5); two heads. r_i = Σ_{j∈{4,5}} mean_h A[h, j, i].
    func testRelevanceSumsTextQueriesOverContextAndAveragesHeads() {
        var head0 = [Float](repeating: 0, count: 36), head1 = [Float](repeating: 0, count: 36)
        // Row 4 (text): attention to visual keys 1, 2, 3.
        head0[4 * 6 + 1] = 0.2; head0[4 * 6 + 2] = 0.1; head0[4 * 6 + 3] = 0.3
        head1[4 * 6 + 1] = 0.4; head1[4 * 6 + 2] = 0.0; head1[4 * 6 + 3] = 0.1
        // Row 5 (cognition).
        head0[5 * 6 + 1] = 0.0; head0[5 * 6 + 2] = 0.5; head0[5 * 6 + 3] = 0.1
        head1[5 * 6 + 1] = 0.2; head1[5 * 6 + 2] = 0.1; head1[5 * 6 + 3] = 0.1
        // A visual row's attention to earlier visual keys must not count (it is not context).
        head0[2 * 6 + 1] = 0.9
        var relevance = [Double](repeating: 0, count: 3)
        for head in [head0, head1] {
            head.withUnsafeBufferPointer {
                VisualTokenSelection.accumulateRelevance(probabilities: $0, keyRows: 6, contextRows: 4 ..< 6, visualRows: 1 ..< 4,
                                                         heads: 2, into: &relevance)
            }
        }
        // Token 1: (0.2+0.4)/2 + (0.0+0.2)/2 = 0.4; token 2: (0.1+0)/2 + (0.5+0.1)/2 = 0.35; token 3: 0.2 + 0.1 = 0.3.
        for (value, expected) in zip(relevance, [0.4, 0.35, 0.3]) { XCTAssertEqual(value, expected, accuracy: 1e-7) }
        // Min-max: (r − 0.3) / 0.1.
        for (value, expected) in zip(VisualTokenSelection.minMaxNormalized(relevance), [1.0, 0.5, 0.0]) {
            XCTAssertEqual(value, expected, accuracy: 1e-6)
        }
        XCTAssertEqual(VisualTokenSelection.minMaxNormalized([2, 2, 2]), [0, 0, 0])
    }

    /// K = 5, K_key = 2, α = 0.5 over 8 tokens: key = {1, 3} (tie at 0.9), K_task = ⌊0.5·3⌋ = 1
    /// → {5}; the other 2 by 1 − max cos to the keys (1 → (1,0), 3 → (0,1)):
    /// token 0 (1,0.1): 1 − 0.995 = 0.005; token 2 (1,1): 1 − 0.707 = 0.293; token 4 (−1,0):
    /// 1 − max(−1, 0) = 1; token 6 (−1,−1): 1 − (−0.707) = 1.707; token 7 (0,0): 1 − 0 = 1.
    /// Top two: 6, then the tie 4/7 goes to the lower index 4.
    func testKeyTaskAndDiversityGroups() {
        let scores: [Double] = [0.1, 0.9, 0.5, 0.9, 0.3, 0.7, 0.2, 0.0]
        let features: [Float] = [1, 0.1, 1, 0, 1, 1, 0, 1, -1, 0, 0.2, 0.2, -1, -1, 0, 0]
        let selection = select(scores, features, width: 2, budget: 5, key: 2, alpha: 0.5)
        XCTAssertEqual(selection.key, [1, 3])
        XCTAssertEqual(selection.task, [5])
        XCTAssertEqual(selection.diversity, [4, 6])
        XCTAssertEqual(selection.kept, [1, 3, 4, 5, 6])
    }

    /// α = 1 fills the budget by relevance alone; α = 0 by diversity alone.
    func testAlphaExtremes() {
        let scores: [Double] = [0.1, 0.9, 0.5, 0.9, 0.3, 0.7, 0.2, 0.0]
        let features: [Float] = [1, 0.1, 1, 0, 1, 1, 0, 1, -1, 0, 0.2, 0.2, -1, -1, 0, 0]
        XCTAssertEqual(select(scores, features, width: 2, budget: 5, key: 2, alpha: 1).kept, [1, 2, 3, 4, 5])
        // α = 0: diversity over {0,2,4,5,6,7}: token 5 (0.2,0.2) → 0.293; best three: 6, 4, 7.
        let diverse = select(scores, features, width: 2, budget: 5, key: 2, alpha: 0)
        XCTAssertEqual(diverse.task, [])
        XCTAssertEqual(diverse.diversity, [4, 6, 7])
    }

    func testEqualScoresPreferLowerIndices() {
        let selection = select([0.5, 0.5, 0.5, 0.5], [1, 1, 1, 1], width: 1, budget: 2, key: 1, alpha: 1)
        XCTAssertEqual(selection.kept, [0, 1])
    }

    func testBudgetAtLeastTheTokenCountKeepsAllAndSmallBudgetsKeepTheTop() {
        let scores: [Double] = [0.3, 0.1, 0.9]
        XCTAssertEqual(select(scores, [1, 2, 3], width: 1, budget: 3, key: 4, alpha: 0.5).kept, [0, 1, 2])
        XCTAssertEqual(select(scores, [1, 2, 3], width: 1, budget: 2, key: 4, alpha: 0.5).key, [0, 2])
        XCTAssertEqual(select(scores, [1, 2, 3], width: 1, budget: 0, key: 4, alpha: 0.5).kept, [])
    }

    /// The paper's budgets over 256 tokens with K_key = 4, α = 0.5 (efficientvla.md §3.2):
    /// K_task = ⌊0.5·(K − 4)⌋, K_div = the rest.
    func testPaperBudgetsGiveThePaperGroupSizes() {
        var noise = GaussianNoise(seed: 11)
        let scores = noise.next(256).map(Double.init), features = noise.next(256 * 8)
        for (budget, task) in [(112, 54), (96, 46), (72, 34), (56, 26)] {
            let selection = select(scores, features, width: 8, budget: budget, key: 4, alpha: 0.5)
            XCTAssertEqual(selection.key.count, 4)
            XCTAssertEqual(selection.task.count, task, "K = \(budget)")
            XCTAssertEqual(selection.diversity.count, budget - 4 - task, "K = \(budget)")
            XCTAssertEqual(Set(selection.kept).count, budget)
            let keyFloor = selection.key.map { scores[$0] }.min()!
            XCTAssertTrue(selection.task.allSatisfy { scores[$0] <= keyFloor }, "task tokens rank below the key tokens")
        }
    }
}
