import ArgumentParser
import Foundation
import Inference

/// EfficientVLA command-line switches shared by `bench` and `predict`; every default is the
/// dense model. See docs/efficientvla.md.
struct AccelerationOptions: ParsableArguments {
    @Option(help: "Pruning plan JSON from `vla-node calibrate` (dropped layers, MLP channels).")
    var prunePlan: String?

    @Option(help: "LLaMA layers to drop, comma-separated model indices (e.g. 3,7,12); replaces the plan's list.")
    var dropLayers: String?

    @Option(help: "Visual tokens kept after the selection layer (EfficientVLA K; 256 or more = all).")
    var visualTokens: Int?

    @Option(help: "Position among the layers that run after which tokens are selected (1 = the 2nd layer).")
    var selectionLayer: Int = 1

    @Option(help: "Top-relevance visual tokens always kept (K_key).")
    var keyTokens: Int = 4

    @Option(help: "Share of the remaining token budget filled by relevance (α); the rest by diversity.")
    var taskRatio: Double = 0.5

    @Option(help: "Embeddings for the diversity score: selection-layer or projector.")
    var diversityFeatures: AccelerationSettings.DiversityFeatures = .selectionLayerStates

    @Option(help: "Query rows defining relevance: all-text (every post-image token) or cognition (last token only).")
    var contextTokens: AccelerationSettings.ContextTokens = .allText

    @Option(help: "DiT cache interval N: branches recomputed on steps k with k mod N = 0 (1 = off, paper 5).")
    var cacheInterval: Int = 1

    @Option(help: "Kept share of LLaMA MLP channels (paper 0.75); must equal the plan's ratio, 1 disables the plan's channels.")
    var mlpKeepRatio: Double?

    func validate() throws {
        if let visualTokens, visualTokens < 1 { throw ValidationError("--visual-tokens must be at least 1") }
        guard cacheInterval >= 1 else { throw ValidationError("--cache-interval must be at least 1") }
        if let mlpKeepRatio, !(mlpKeepRatio > 0 && mlpKeepRatio <= 1) { throw ValidationError("--mlp-keep-ratio must be in (0, 1]") }
        _ = try parsedDropLayers()
    }

    /// The requested settings. A `--mlp-keep-ratio` below 1 takes its channels from the plan, or
    /// else from `calibrate()` (the bench's random-weight model); without either it is an error.
    func settings(calibrate: (() throws -> CalibrationResult)? = nil) throws -> AccelerationSettings {
        var settings = try prunePlan.map { try PruningPlan.load(from: URL(fileURLWithPath: $0)).settings } ?? .dense
        if let dropped = try parsedDropLayers() { settings.droppedLayers = dropped }
        settings.visualTokens = visualTokens
        settings.selectionLayer = selectionLayer
        settings.keyTokens = keyTokens
        settings.taskRatio = taskRatio
        settings.diversityFeatures = diversityFeatures
        settings.contextTokens = contextTokens
        settings.cacheInterval = cacheInterval
        guard let ratio = mlpKeepRatio, ratio != settings.mlpKeepRatio else { return settings }
        if ratio == 1 {
            settings.mlpKeepRatio = 1
            settings.mlpChannels = []
        } else if prunePlan == nil, let calibrate {
            let result = try calibrate()
            settings.mlpKeepRatio = ratio
            settings.mlpChannels = result.settings(dropCount: 0, mlpKeepRatio: ratio).mlpChannels
                .filter { !settings.droppedLayers.contains($0.layer) }
        } else {
            throw ValidationError("--mlp-keep-ratio \(ratio) needs channels for that ratio: run `vla-node calibrate --mlp-keep-ratio \(ratio)`"
                                  + (prunePlan.map { " (\($0) has ratio \(settings.mlpKeepRatio))" } ?? " and pass --prune-plan"))
        }
        return settings
    }

    /// Whether any switch differs from the dense default.
    var isAccelerated: Bool {
        prunePlan != nil || dropLayers != nil || visualTokens != nil || cacheInterval != 1 || (mlpKeepRatio ?? 1) != 1
    }

    private func parsedDropLayers() throws -> Set<Int>? {
        guard let dropLayers else { return nil }
        let parts = dropLayers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let layers = parts.compactMap(Int.init)
        guard layers.count == parts.count, layers.allSatisfy({ $0 >= 0 }) else {
            throw ValidationError("--drop-layers expects comma-separated non-negative layer indices, got '\(dropLayers)'")
        }
        return Set(layers)
    }
}

extension AccelerationSettings.DiversityFeatures: ExpressibleByArgument {}
extension AccelerationSettings.ContextTokens: ExpressibleByArgument {}
