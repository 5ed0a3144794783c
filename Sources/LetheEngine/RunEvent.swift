import Foundation

/// One line of a run's `events.jsonl`: what happened, in order, with its time.
///
///     {"event": "stage", "index": 0, "kind": "pretrain", "time": ...}
///     {"event": "step", "stage": "unlearn", "step": 3, "losses": {"forget": .., "retain": ..}, "cosine": .., "learning_rate": ..}
///     {"event": "evaluation", "index": 4, "folders": ["evaluate-5"]}
///
/// NaN and infinities (a skipped step's loss, an undefined cosine) are written as null.
public enum RunEvent: Equatable, Sendable {
    case stage(index: Int, kind: String)
    case stageDone(index: Int, kind: String, seconds: Double)
    /// One optimiser step of a training stage; `skipped` names a NaN/Inf fault.
    case step(stage: String, step: Int, losses: [String: Double], cosine: Double?, learningRate: Double, skipped: String?)
    /// The mean losses of a training stage's periodic evaluation (`eval_every`).
    case stepEvaluation(stage: String, step: Int, metrics: [String: Double])
    case checkpoint(path: String, stage: Int, step: Int?)
    case evaluation(index: Int, folders: [String])
    /// Something a researcher should know that does not stop the run (a negligible loss).
    case warning(stage: String, step: Int, message: String)

    /// The event's JSON object (without the time).
    public var object: [String: Any] {
        switch self {
        case let .stage(index, kind): return ["event": "stage", "index": index, "kind": kind]
        case let .stageDone(index, kind, seconds): return ["event": "stage_done", "index": index, "kind": kind, "seconds": seconds]
        case let .step(stage, step, losses, cosine, rate, skipped):
            var object: [String: Any] = ["event": "step", "stage": stage, "step": step, "losses": losses, "learning_rate": rate]
            if let loss = losses["train"], losses.count == 1 { object["loss"] = loss }
            object["cosine"] = cosine ?? Double.nan
            if let skipped { object["skipped"] = skipped }
            return object
        case let .stepEvaluation(stage, step, metrics):
            return ["event": "step_evaluation", "stage": stage, "step": step, "metrics": metrics]
        case let .checkpoint(path, stage, step):
            var object: [String: Any] = ["event": "checkpoint", "path": path, "stage": stage]
            if let step { object["step"] = step }
            return object
        case let .evaluation(index, folders): return ["event": "evaluation", "index": index, "folders": folders]
        case let .warning(stage, step, message): return ["event": "warning", "stage": stage, "step": step, "message": message]
        }
    }
}
