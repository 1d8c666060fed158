import XCTest
@testable import Inference

/// EfficientVLA's DiT branch cache (efficientvla.md §3.4, §4.2).
final class DiTCacheTests: XCTestCase {
    private var model: CogACTModel { Fixture.model }

    func testScheduleComputesOnStepsWhoseCounterIsAMultipleOfN() {
        XCTAssertEqual(DiTCacheSchedule(interval: 5).computedSteps(of: 10), [0, 5], "the paper's 2 of 10")
        XCTAssertEqual(DiTCacheSchedule(interval: 1).computedSteps(of: 10), Array(0 ..< 10))
        XCTAssertEqual(DiTCacheSchedule(interval: 3).computedSteps(of: 10), [0, 3, 6, 9])
        XCTAssertEqual(DiTCacheSchedule(interval: 10).computedSteps(of: 10), [0])
        XCTAssertFalse(DiTCacheSchedule(interval: 5).computes(step: 4))
    }

    /// With N = 1 every step refreshes through the cache buffers: bitwise the dense result.
    func testIntervalOneThroughTheCacheIsBitwiseDense() throws {
        let head = model.actionHead
        let conditions = head.conditions(cognition: try Fixture.floats("cognition"), guided: true)
        let noise = try Fixture.floats("noise")
        let cache = head.makeCache(schedule: DiTCacheSchedule(interval: 1), batch: 2)
        for (step, t) in [90, 80, 70].enumerated() {
            XCTAssertEqual(predict(noise, t, conditions, cache: cache, step: step), predict(noise, t, conditions, cache: nil, step: step))
        }
    }

    /// A cached step is `final(LN(embed(x, t) + Σ_blocks (C_attn + C_mlp)))`, where the caches
    /// hold the branches of the refresh step: checked against the blocks run one by one.
    func testCachedStepEqualsTheResidualFormula() throws {
        let head = model.actionHead
        let conditions = head.conditions(cognition: try Fixture.floats("cognition"), guided: true)
        let x0 = try Fixture.floats("noise"), x1 = Fixture.slice(try Fixture.floats("ddim_x"), part: 0, of: 10)
        let cache = head.makeCache(schedule: DiTCacheSchedule(interval: 5), batch: 2)
        _ = predict(x0, 90, conditions, cache: cache, step: 0)

        // Refresh step: C_attn/C_mlp of every block equal the branches of the dense pass.
        var tokens = head.embedTokens(x: x0, timestep: 90, conditions: conditions, batch: 2)
        let count = tokens.count
        for (index, block) in head.blocks.enumerated() {
            var attention = [Float](repeating: 0, count: count), mlp = attention
            tokens.withUnsafeMutableBufferPointer { x in
                attention.withUnsafeMutableBufferPointer {
                    block.attentionBranch(x.baseAddress!, batch: 2, tokens: head.tokens, heads: head.config.heads, scratch: DiTScratch(), into: $0.baseAddress!)
                }
                for i in 0 ..< count { x[i] += attention[i] }
                mlp.withUnsafeMutableBufferPointer { block.mlpBranch(x.baseAddress!, rows: 2 * head.tokens, scratch: DiTScratch(), into: $0.baseAddress!) }
                for i in 0 ..< count { x[i] += mlp[i] }
            }
            XCTAssertEqual(cache.attention[index].array, attention, "C_attn of block \(index)")
            XCTAssertEqual(cache.mlp[index].array, mlp, "C_mlp of block \(index)")
        }

        // Cached step 1: fresh embedding of x1 at t = 80 plus every cached branch.
        var expected = head.embedTokens(x: x1, timestep: 80, conditions: conditions, batch: 2)
        for index in head.blocks.indices {
            for i in 0 ..< count { expected[i] += cache.attention[index].data[i] }
            for i in 0 ..< count { expected[i] += cache.mlp[index].data[i] }
        }
        let formula = head.outputHead(tokens: expected, batch: 2)
        XCTAssertEqual(predict(x1, 80, conditions, cache: cache, step: 1), formula)
        XCTAssertGreaterThan(relativeL2(formula, predict(x1, 80, conditions, cache: nil, step: 1)), 1e-3,
                             "a cached step must differ from recomputing")
    }

    /// Sampling with N = 5: step 0 computes, so its ε is the reference's; the chunk changes but stays finite.
    func testCachedSamplingKeepsTheFirstStepExact() throws {
        let cached = try CogACTModel(directory: Fixture.modelDirectory,
                                     options: EngineOptions(blasThreads: 2, acceleration: AccelerationSettings(cacheInterval: 5)))
        let sample = try cached.sampleActions(cognition: Fixture.floats("cognition"), noise: Fixture.floats("noise"))
        assertClose(sample.eps[0], Fixture.slice(try Fixture.floats("ddim_eps"), part: 0, of: 10), "ddim_eps[0]")
        XCTAssertTrue(sample.final.allSatisfy(\.isFinite))
        XCTAssertGreaterThan(relativeL2(sample.final, Fixture.slice(try Fixture.floats("ddim_x"), part: 9, of: 10)), 1e-4)
    }

    private func predict(_ x: [Float], _ t: Int, _ conditions: [Float], cache: DiTBranchCache?, step: Int) -> [Float] {
        let head = model.actionHead
        var eps = [Float](repeating: 0, count: 2 * model.actionCount)
        x.withUnsafeBufferPointer { x in
            eps.withUnsafeMutableBufferPointer {
                head.predictNoise(x: x.baseAddress!, timestep: t, conditions: conditions, batch: 2, into: $0.baseAddress!, cache: cache, step: step)
            }
        }
        return eps
    }
}

/// Array views of the DiT's embedding and read-out, for composing the cache formula by hand.
private extension DiffusionTransformer {
    func embedTokens(x: [Float], timestep: Int, conditions: [Float], batch: Int) -> [Float] {
        var out = [Float](repeating: 0, count: batch * tokens * config.hidden)
        x.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { embed(x.baseAddress!, timestep: timestep, conditions: conditions, batch: batch, into: $0.baseAddress!) }
        }
        return out
    }

    func outputHead(tokens input: [Float], batch: Int) -> [Float] {
        var eps = [Float](repeating: 0, count: batch * config.horizon * config.actionDim)
        input.withUnsafeBufferPointer { x in eps.withUnsafeMutableBufferPointer { readout(x.baseAddress!, batch: batch, into: $0.baseAddress!) } }
        return eps
    }
}
