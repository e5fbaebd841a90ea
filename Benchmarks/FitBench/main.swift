// FitBench: the chapter's `fit(1)` end to end — JPEG decoding by the DataLoader's workers, training
// the simple CNN on every training batch, validating on every validation batch — timed as one
// whole, with this process's peak resident memory. `make bench` (Benchmarks/bench.sh) runs it beside
// Benchmarks/torch_chapter.py, the same loop in PyTorch + PIL.
//
//     swift build -c release --product FitBench && .build/release/FitBench [--data PATH] [--epochs N]
//
// Before it, the epoch's split: how long the training and validation loops waited for batches, and
// the decoding workers' CPU time and waits (`DataLoader.times`); the rest of the process's CPU time is
// the model's. The last line is machine-readable for bench.sh:
//     FITBENCH seconds=<wall> cpu=<process CPU s> rss_mb=<peak RSS> train_loss=… valid_loss=… valid_acc=…
import Foundation
import Shared

/// Seconds on `clock`.
func now(_ clock: clockid_t) -> Double {
    var t = timespec()
    clock_gettime(clock, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}
let epochs = Int(option("--epochs") ?? "1") ?? 1

do {
    // Data set up (file listing, the normaliser's batch) is outside the timed part in both
    // programs; the timed part is fit's decode + train + validate.
    let data = try ImagenetteData(Workbook.Settings(data: option("--data"), epochs: epochs))
    let track = TrackResults()
    let learn = Learner(
        simpleCNN(), data.dls, lossFunc: crossEntropy, lr: 0.1,
        cbs: [SetupLearnerCB(device: .cpu, tfmX: data.tfmX), track])
    print("FitBench: \(data.trainDS.count) training, \(data.validDS.count) validation images from \(data.path.path)")
    let trainBefore = data.trainDL.times, validBefore = data.validDL.times
    let wall0 = now(CLOCK_MONOTONIC), cpu0 = now(CLOCK_PROCESS_CPUTIME_ID)
    try learn.fit(epochs)
    let wall = now(CLOCK_MONOTONIC) - wall0, cpu = now(CLOCK_PROCESS_CPUTIME_ID) - cpu0
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let trainTimes = data.trainDL.times.since(trainBefore), validTimes = data.validDL.times.since(validBefore)
    let decodeCPU = trainTimes.workerCPU + validTimes.workerCPU
    for (name, t) in [("train", trainTimes), ("valid", validTimes)] {
        print(
            "EPOCHSPLIT loader=\(name) batches=\(t.batches) loop_wait_s=\(cFormat("%.3f", t.consumerWait)) "
                + "decode_cpu_s=\(cFormat("%.3f", t.workerCPU)) decode_wall_s=\(cFormat("%.3f", t.workerWall)) "
                + "workers_blocked_s=\(cFormat("%.3f", t.workerBlocked))")
    }
    print(
        "EPOCHSPLIT total decode_cpu_s=\(cFormat("%.3f", decodeCPU)) model_cpu_s=\(cFormat("%.3f", cpu - decodeCPU)) "
            + "loop_wait_s=\(cFormat("%.3f", trainTimes.consumerWait + validTimes.consumerWait)) "
            + "cores_busy=\(cFormat("%.2f", cpu / wall))")
    let trainRow = track.history.last { $0.training }, validRow = track.history.last { !$0.training }
    print(
        "FITBENCH seconds=\(cFormat("%.2f", wall)) cpu=\(cFormat("%.2f", cpu)) "
            + "train=\(data.trainDS.count) valid=\(data.validDS.count) "
            + "rss_mb=\(cFormat("%.0f", Double(usage.ru_maxrss) / 1024)) "
            + "train_loss=\(cFormat("%.4f", Double(trainRow?.loss ?? .nan))) "
            + "valid_loss=\(cFormat("%.4f", Double(validRow?.loss ?? .nan))) "
            + "valid_acc=\(cFormat("%.4f", Double(validRow?.accuracy ?? .nan)))")
} catch {
    FileHandle.standardError.write(Data("error: FitBench: \(error)\n".utf8))
    exit(1)
}
