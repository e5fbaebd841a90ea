// DataBench: how fast the workbook turns JPEG files into batches.
//
//   swift build -c release && .build/release/DataBench [--data PATH] [--generate] [--images N] [--rounds R] [--decode-only]
//
// Measures, on the built-in stand-in for Imagenette (generated first if missing) or on PATH:
//   1. decode + resize of 160-px JPEGs to 64×64 floats on one core, with and without DCT scaling;
//   2. a DataLoader epoch over the whole training split (bs 128), nothing consuming, 1 and 2 workers;
//   3. how long a pass takes to hand over its first batch (bs 128 and 256, 2 workers): what the
//      training loop, and then validation, wait for before their first step;
//   4. with --generate, the time to draw the full-size built-in set into a temporary folder.
import Foundation
import Shared

/// Seconds on `clock`.
func now(_ clock: clockid_t) -> Double {
    var t = timespec()
    clock_gettime(clock, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Wall-clock seconds and CPU seconds (of this thread, or of the whole process) that `body` took.
/// The machine is shared, so CPU time is reported beside wall time: when other programs hold the
/// cores, wall time grows but CPU time per image does not.
func measure(process: Bool = false, _ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
    let cpuClock = process ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_THREAD_CPUTIME_ID
    let wall0 = now(CLOCK_MONOTONIC), cpu0 = now(cpuClock)
    try body()
    return (now(CLOCK_MONOTONIC) - wall0, now(cpuClock) - cpu0)
}

func row(_ name: String, _ images: Int, _ time: (wall: Double, cpu: Double)) {
    print(
        name.padding(toLength: 50, withPad: " ", startingAt: 0)
            + String(images).leftPad(7) + cFormat("%9.2f", time.wall).leftPad(9) + cFormat("%9.2f", time.cpu).leftPad(9)
            + cFormat("%10.0f", Double(images) / time.wall).leftPad(10)
            + cFormat("%12.0f", Double(images) / time.cpu).leftPad(12))
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}

var arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}
let singleCoreImages = Int(option("--images") ?? "") ?? 4000

do {
    print("DataBench — \(ProcessInfo.processInfo.activeProcessorCount) cores")
    print("step".padding(toLength: 50, withPad: " ", startingAt: 0) + " images   wall s    CPU s  images/s  img/CPU-s")

    let builtin = FastaiPaths.data.appendingPathComponent("imagenette2-160-builtin")
    var regenerated: URL?
    if arguments.contains("--generate") {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("databench-builtin-\(getpid())")
        let time = try measure(process: true) { try BuiltinDataset.generate(at: folder, showProgress: false) }
        row("generate the full built-in set (all cores)", 9469 + 3925, time)
        regenerated = folder
    }

    let path = try option("--data").map { URL(fileURLWithPath: $0) } ?? BuiltinDataset.ensure(at: builtin)
    if let regenerated {
        // Same seed, so the fresh copy must match the kept one byte for byte.
        let fresh = try getImageFiles(regenerated), kept = try getImageFiles(builtin)
        let same =
            fresh.count == kept.count
            && zip(fresh, kept).allSatisfy {
                FileManager.default.contentsEqual(atPath: $0.path, andPath: $1.path)
            }
        print("regenerated set identical to \(builtin.path): \(same ? "yes" : "NO") (\(fresh.count) files)")
        try? FileManager.default.removeItem(at: regenerated)
    }
    let files = try getImageFiles(path)
    let train = files[files.map { $0.grandparentName == "train" }]
    guard !train.isEmpty else { throw DataError(path: path.path, message: "no training images") }
    let valid = files[~files.map { $0.grandparentName == "train" }]
    let v2i = files.map(\.parentName).unique().val2idx()
    let (xb, yb) = try first(DataLoader(ImageDataset(train, val2idx: v2i), bs: 128, shuffle: true, workers: 2))
    print("data: \(path.path)")
    print("len(train), len(valid) = \(train.count), \(valid.count); first batch x \(xb.shape), y \(yb.shape)")

    // 1. One core, one reader, the files in order (read once first so the page cache is warm).
    let sample = Array(train.prefix(singleCoreImages)).map(\.path)
    for file in sample { _ = FileManager.default.contents(atPath: file) }
    let reader = ImageReader()
    let out = UnsafeMutablePointer<Float>.allocate(capacity: 64 * 64 * 3)
    defer { out.deallocate() }
    // The machine is shared: each figure is the best of `rounds` passes, which filters out the
    // moments when other programs held the core.
    let rounds = Int(option("--rounds") ?? "") ?? 5
    for scaled in [true, false] {
        reader.dctScaling = scaled
        var best = (wall: Double.infinity, cpu: Double.infinity)
        for _ in 0..<rounds {
            let time = try measure { for file in sample { try reader.read(file, resizedTo: 64, 64, into: out) } }
            if time.wall < best.wall { best = time }
        }
        row("decode+resize to 64×64, 1 core, DCT scaling \(scaled ? "on " : "off")", sample.count, best)
        // Machine-readable, for Benchmarks/bench.sh (the loader uses DCT scaling).
        if scaled {
            print(
                "DECODE ms_per_image_wall=\(cFormat("%.4f", best.wall / Double(sample.count) * 1000)) "
                    + "ms_per_image_cpu=\(cFormat("%.4f", best.cpu / Double(sample.count) * 1000))")
        }
    }
    if arguments.contains("--decode-only") { exit(0) }

    // 2. DataLoader epochs with nothing consuming.
    let ds = ImageDataset(train, val2idx: v2i)
    for workers in [1, 2] {
        let dl = DataLoader(ds, bs: 128, shuffle: true, workers: workers, seed: 1)
        var best = (wall: Double.infinity, cpu: Double.infinity)
        for _ in 0..<rounds {
            var batches = 0
            let time = try measure(process: true) {
                var it = dl.batches()
                while let (xb, _) = try it.next() {
                    precondition(xb.shape[1] == 64)
                    batches += 1
                }
            }
            precondition(batches == dl.count)
            if time.wall < best.wall { best = time }
        }
        row("DataLoader epoch, bs 128, shuffle, \(workers) worker\(workers > 1 ? "s" : "")", ds.count, best)
    }

    // 3. The first batch of a pass, as each pass of `fit` waits for it; the median of several passes.
    for bs in [128, 256] {
        let dl = DataLoader(ds, bs: bs, shuffle: false, workers: 2)
        var times: [(wall: Double, cpu: Double)] = []
        for _ in 0..<(4 * rounds + 1) {
            times.append(try measure(process: true) { _ = try first(dl) })
        }
        let median = times.sorted { $0.wall < $1.wall }[times.count / 2]
        row("first batch of a pass, bs \(bs), 2 workers (median)", bs, median)
        print(
            "FIRSTBATCH bs=\(bs) ms_wall=\(cFormat("%.1f", median.wall * 1000)) "
                + "ms_cpu=\(cFormat("%.1f", median.cpu * 1000))")
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
