import Foundation
import Inference

/// Reads the `node.acceleration.prune_plan` file and checks that it was calibrated for the model.
enum PlanFile {
    /// The plan's load-time settings (dropped layers and MLP channels). A relative `path` is relative
    /// to the working directory of the process, as `node.model.dir` is.
    /// - Throws: `NodeError.acceleration(key: "prune_plan", …)` for a missing, unreadable or corrupt
    ///   file, or a plan scored on a model with another layer count.
    static func settings(path: String, model: ModelConfig) throws -> AccelerationSettings {
        let calibrate = "write one with `vla-node calibrate --model <node.model.dir> --bag <bag.mcap> --mlp-keep-ratio 0.75 -o plan.json`"
        guard FileManager.default.fileExists(atPath: path) else {
            throw NodeError.acceleration(
                key: "prune_plan",
                reason: "\(path): no such file (relative paths start at \(FileManager.default.currentDirectoryPath)); \(calibrate)")
        }
        let plan: PruningPlan
        do {
            plan = try PruningPlan.load(from: URL(fileURLWithPath: path))
        } catch {
            throw NodeError.acceleration(key: "prune_plan", reason: "\(path) is not a pruning plan: \(error); \(calibrate)")
        }
        let layers = model.llm.layers
        guard plan.layerImportance.count == layers else {
            throw NodeError.acceleration(
                key: "prune_plan",
                reason: "\(path) was calibrated on a model with \(plan.layerImportance.count) LLaMA layers "
                    + "(\(plan.provenance.modelDirectory)) but this model has \(layers); \(calibrate)")
        }
        return plan.settings
    }
}
