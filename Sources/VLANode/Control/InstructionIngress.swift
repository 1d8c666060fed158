/// The result of receiving an instruction message.
public enum InstructionUpdate: Equatable, Sendable {
    /// A new instruction became current; the action history was cleared.
    case changed(sequence: UInt64)
    /// The same text as the current instruction (publishers re-send it because PUB/SUB is lossy);
    /// nothing changed.
    case unchanged(sequence: UInt64)
}

/// Accepts instruction messages: validates them, makes a new one current in the instruction mailbox
/// and tells the scheduler, which clears its chunk history. Re-sent copies of the current instruction
/// change nothing, so a publisher may repeat it. Called from the ingress thread only.
public final class InstructionIngress: @unchecked Sendable {
    private let mailbox: LatestValueMailbox<String>
    private let scheduler: ActionScheduler
    private let counters: NodeCounters

    /// Creates the ingress for a mailbox the inference loop reads with `latest()`.
    public init(mailbox: LatestValueMailbox<String>, scheduler: ActionScheduler, counters: NodeCounters) {
        self.mailbox = mailbox
        self.scheduler = scheduler
        self.counters = counters
    }

    /// Handles one received instruction text.
    /// - Throws: `InstructionRejection` (counted; the previous instruction stays current).
    @discardableResult
    public func receive(_ text: String) throws -> InstructionUpdate {
        let instruction: String
        do {
            instruction = try InstructionValidator.validate(text)
        } catch {
            counters.increment(.instructionsRejected)
            throw error
        }
        if let current = mailbox.latest(), current.value == instruction {
            return .unchanged(sequence: current.sequence)
        }
        guard let sequence = mailbox.put(instruction) else { return .unchanged(sequence: scheduler.instructionSequence) }
        scheduler.beginInstruction(sequence: sequence)
        counters.increment(.instructionsAccepted)
        return .changed(sequence: sequence)
    }
}
