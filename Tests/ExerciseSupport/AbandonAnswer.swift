import Foundation

/// Stops the student's code that the current check is running and fails the check with `failure`.
///
/// For probes that a check hands to the answer (a normalisation layer, say) and that notice a
/// mistake a moment before it would stop the whole program: tensors of shapes that cannot be added
/// end the process (`engineFailure`), taking every other check's verdict with them. Inside a check
/// (`answer { … }` or the check runner), the answer's thread is parked as a `todo` parks it and the
/// check fails with `failure`; anywhere else the message is printed and the program ends.
public func abandonAnswer(_ failure: CheckFailure) -> Never {
    if let sandbox = AnswerSandbox.current {
        sandbox.finish(.failure(failure))
        AnswerSandbox.parkForever()
    }
    FileHandle.standardError.write(Data("\n\(failure.message)\n".utf8))
    exit(1)
}
