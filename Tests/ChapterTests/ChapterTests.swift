import Foundation
import Testing

/// Each chapter, run as a learner runs it (`--quick --no-pause`, stdin not a terminal), on the small
/// built-in data set; the checks read the chapter's own checkpoints off its output.
@Suite("Chapters", .serialized)
struct ChapterTests {
    @Test func data00() throws {
        let r = try ChapterRunner.run("00-Data")
        #expect(r.status == 0, "\(r.errors)")
        let out = try r.printed(by: "00-Data")
        #expect(out.contains("t[0] =") && out.contains(".JPEG"))
        #expect(out.lines(containing: "size:").first?.contains("×") == true)
        #expect(
            out.contains("imT.shape = [160,")
                || out.lines(containing: "imT.shape =").first?.contains(", 160, 3]") == true)
        let labels = out.split(separator: "\n").first { $0.hasPrefix("lbls = [") } ?? ""
        #expect(labels.components(separatedBy: "\"n0").count - 1 == 10, "10 labels: \(labels)")
        #expect(out.contains("n01440764: 0") || out.lines(containing: ": 0").count == 1)
        #expect(out.lines(containing: "  n0").count == 10)
        // A grayscale file: [H, W] as stored, [H, W, 3] once converted, the gray copied into each channel.
        let stored = out.lines(containing: "tensor(Image.open(fn)).shape").first.map { String($0).numbers } ?? []
        let converted =
            out.lines(containing: "tensor(Image.open(fn).convert('RGB')).shape").first.map { String($0).numbers } ?? []
        #expect(stored.count == 2 && stored.allSatisfy { $0 >= 160 }, "\(stored)")
        #expect(converted == stored + [3], "\(converted)")
        #expect(out.contains("red, green and blue all equal the gray: true"))
        #expect(out.contains("Done: 8 steps."))
    }

    @Test func dataset01() throws {
        let r = try ChapterRunner.run("01-Dataset")
        #expect(r.status == 0, "\(r.errors)")
        let out = try r.printed(by: "01-Dataset")
        let split = out.lines(containing: "len(train), len(valid) =").first.map { String($0).numbers } ?? []
        #expect(split.count == 2 && split[0] > split[1] && split[1] > 0)
        #expect(out.contains("x.shape = [64, 64, 3]"))
        #expect(out.contains("x.shape = [2, 64, 64, 3]"))
        let batch = out.lines(containing: "xb.shape =").first ?? ""
        #expect(batch.contains("[128, 64, 64, 3]") && batch.contains("yb.shape = [128]"))
        // The chapter's t = tfm_x(x): the two collated images, normalised with the batch's statistics,
        // are of the order of 0 and 1 but not exactly; the batch itself is exactly 0 and 1.
        #expect(out.contains("t.shape = [2, 3, 64, 64]"))
        let normalize = out.components(separatedBy: "Normalize and tfmX").last ?? ""
        func numbers(_ prefix: String) -> [Double] {
            let line = normalize.split(separator: "\n").first { $0.hasPrefix(prefix) }
            return line.map { Array(String($0).numbers.prefix(3)) } ?? []
        }
        let means = numbers("mean ="), stds = numbers("std  =")
        #expect(means.count == 3 && means.allSatisfy { abs($0) < 3 }, "\(means)")
        #expect(stds.count == 3 && stds.allSatisfy { $0 > 0.2 && $0 < 3 }, "\(stds)")
        #expect(zip(means, stds).contains { abs($0) > 1e-2 || abs($1 - 1) > 1e-2 }, "two images are not the batch")
        let batchMeans = numbers("tfmX(xb, norm): mean ="), batchStds = numbers("tfmX(xb, norm): std  =")
        #expect(batchMeans.count == 3 && batchMeans.allSatisfy { abs($0) < 1e-3 }, "\(batchMeans)")
        #expect(batchStds.count == 3 && batchStds.allSatisfy { abs($0 - 1) < 1e-3 }, "\(batchStds)")
    }

    @Test func module02() throws {
        let r = try ChapterRunner.run("02-Module")
        #expect(r.status == 0, "\(r.errors)")
        let out = try r.printed(by: "02-Module")
        #expect(out.contains("tensor(3.0000, requiresGrad: true)"))
        #expect(out.contains("ConvLayer(3, 4) has 2 parameters"))
        #expect(out.contains("r.shape = [128, 4, 64, 64]"))
        #expect(out.contains("r.shape = [3, 2]"))
        #expect(out.contains("t.parameters().count = 4"))
        #expect(out.contains("t.l.w.device = cpu"))
    }

    @Test func simpleCNN03() throws {
        let r = try ChapterRunner.run("03-SimpleCNN")
        #expect(r.status == 0, "\(r.errors)")
        let out = try r.printed(by: "03-SimpleCNN")
        #expect(out.contains("m.parameters().count = 10"))
        // The hook printed mean and std for each of the four convolutions.
        let stats = out.split(separator: "\n").filter { line in
            let n = String(line).numbers
            return n.count == 2 && !line.contains("shape") && line.first?.isNumber == true
        }
        #expect(stats.count == 4, "hook lines: \(stats)")
        #expect(out.contains("r.shape = [128, 10]"))
    }

    @Test func loss04() throws {
        let r = try ChapterRunner.run("04-Loss")
        #expect(r.status == 0, "\(r.errors)")
        let out = try r.printed(by: "04-Loss")
        #expect(out.contains("sm[0][0] ="))
        #expect(out.lines(containing: "sm[0][0] =").count == 3, "three log softmaxes, each with its sm[0][0]")
        let firstValues = Set(out.lines(containing: "sm[0][0] =").map { String($0).numbers.first ?? .nan })
        #expect(firstValues.count == 1, "the three agree on an untrained model's scores: \(firstValues)")
        #expect(out.lines(containing: "logSoftmaxNaive:").first?.contains("nan") == true)
        #expect(out.lines(containing: "logSoftmaxSubtract:").first?.contains("-inf") == true)
        #expect(out.lines(containing: "logSoftmax(big) =").first?.contains("-200.0000, -100.0000, 0.0000") == true)
        #expect(out.contains("equal: true"))
        #expect(out.contains("logSumExp(r)[0]"))
        func value(_ label: String) -> Double {
            out.lines(containing: label).last.flatMap { String($0).numbers.last } ?? .nan
        }
        // Equal scores give exactly ln 10; the untrained model's unequal ones give more, about the
        // batch's mean of logsumexp − mean, which is never below ln 10.
        let ln10 = value("ln 10 "), equal = value("crossEntropy(equal, yb)"), loss = value("crossEntropy(r, yb)")
        let spread = value("mean of logsumexp(r) − mean(r)")
        #expect(abs(ln10 - 2.3026) < 1e-4 && abs(equal - ln10) < 1e-3, "\(ln10) \(equal)")
        #expect(loss > ln10 && loss < 3.5, "untrained loss above ln 10: \(loss)")
        #expect(spread >= ln10 - 1e-3 && abs(spread - loss) < 0.25, "\(spread) vs \(loss)")
    }

    @Test func learner05() throws {
        // Three epochs, since the quick data set has only a few batches per epoch.
        let r = try ChapterRunner.run("05-Learner", ["--quick", "--no-pause", "--epochs", "3"])
        #expect(r.status == 0, "\(r.errors)")
        let out = try r.printed(by: "05-Learner")
        #expect(out.contains("SGD over 10 parameters"))
        #expect(out.contains("len(dls.train) ="))
        #expect(out.contains("epoch  training  loss"))
        let train = out.lines(containing: "true").filter { $0.first?.isNumber == true }
        let valid = out.lines(containing: "false").filter { $0.first?.isNumber == true }
        #expect(train.count == 3 && valid.count == 3, "epoch lines: \(out)")
        // epoch, loss, accuracy, seconds: training brings the loss down from epoch 0 to epoch 2.
        let first = train.first.map { String($0).numbers } ?? [], last = train.last.map { String($0).numbers } ?? []
        #expect(first.count >= 3 && last.count >= 3 && last[1] < first[1], "training loss falls: \(first) → \(last)")
        #expect(last.count >= 3 && last[1].isFinite && last[2] >= 0 && last[2] <= 1)
    }

    /// The same fit on the OpenCL device (PoCL on a machine without a GPU, as in CI).
    @Test func learner05OnTheGPUDevice() throws {
        let r = try ChapterRunner.run("05-Learner", ["--quick", "--no-pause", "--epochs", "2", "--device", "gpu"])
        #expect(r.status == 0, "\(r.errors)")
        #expect(r.errors.contains("OpenCL device:"), "the OpenCL backend was used: \(r.errors)")
        #expect(!r.errors.contains("running on the CPU instead"))
        #expect(r.output.contains("device gpu"))
        let train = r.output.lines(containing: "true").filter { $0.first?.isNumber == true }
        let first = train.first.map { String($0).numbers } ?? [], last = train.last.map { String($0).numbers } ?? []
        #expect(train.count == 2 && last[1] < first[1], "training loss falls on the GPU device: \(train)")
    }

    @Test func callbacks06() throws {
        let r = try ChapterRunner.run("06-Callbacks")
        #expect(r.status == 0, "\(r.errors)")
        let out = try r.printed(by: "06-Callbacks")
        #expect(out.contains("beforeFit → beforeEpoch → beforeBatch → afterBatch → afterEpoch → afterFit"))
        #expect(out.contains("SetupLearnerCB on cpu"))
        // The TrackResults step ran the callback on one validation batch of the quick set (120 images).
        let recorded = out.lines(containing: "accs:").first.map(String.init) ?? ""
        #expect(recorded.contains("ns: [120]"), "\(recorded)")
        let numbers = recorded.numbers
        #expect(numbers.count == 3 && numbers[0] >= 0 && numbers[0] <= 120 && numbers[1] > 0, "\(numbers)")
        #expect(out.lines(containing: "true").contains { $0.hasPrefix("0 ") })
        #expect(out.lines(containing: "false").contains { $0.hasPrefix("0 ") })
    }

    @Test func scheduling07() throws {
        let r = try ChapterRunner.scheduling.get()
        #expect(r.status == 0, "\(r.errors)")
        let out = try r.printed(by: "07-Scheduling")
        #expect(out.contains("recorded") && out.contains("batches, up to lr"))
        // The quick set is too small for 1.2 a batch, so the step uses a larger factor; the finder then
        // stops on its own, after a loss that first falls and then blows up, as in the chapter.
        #expect(out.contains("factor 1.2: the rate passes 10 at training batch 89; fit(2) has 6"))
        #expect(out.lines(containing: "factor 1.43: it passes 10 at batch 46; fit(").count == 1)
        #expect(out.contains("the finder stopped training") && !out.contains("ran out of batches"))
        // Why it stopped: here the rate passed 10 at batch 46, the loss blown up but still a number
        // (the full run stops at batch 85 on a NaN instead; LearnerTests covers both reasons).
        #expect(
            out.lines(containing: "the finder stopped training:") == [
                "the finder stopped training: the rate, 14.3, passed 10"
            ])
        let recorded = out.lines(containing: "recorded losses: first").first.map { String($0).numbers } ?? []
        #expect(recorded.count == 4 && recorded[2] > 1e6 * recorded[0], "a finite blow-up did not stop it: \(recorded)")
        let finder = out.components(separatedBy: "Plot: loss against learning rate").first ?? ""
        // Each epoch's training loss (the third column; nan once it has blown up).
        let sweep = finder.lines(containing: " true ").filter { $0.first?.isNumber == true }
            .compactMap { line in line.split(separator: " ").dropFirst(2).first.flatMap { Double(String($0)) } }
        #expect(sweep.count > 2 && sweep.filter(\.isFinite).min()! < sweep[0] - 0.1, "the loss falls: \(sweep)")
        #expect(sweep.last!.isNaN || sweep.last! > sweep[0] + 0.1, "then blows up: \(sweep)")
        let pngs = out.lines(containing: ".png").map(String.init)
        #expect(pngs.contains { $0.contains("lr-finder.png") })
        #expect(pngs.contains { $0.contains("one-cycle.png") })
        for name in ["lr-finder.png", "one-cycle.png"] {
            let data = try Data(contentsOf: ChapterRunner.schedulingFolder.appendingPathComponent(name))
            #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name) is a PNG")
        }
        // Two epochs of one cycle after the finder: the last two training lines are epochs 0 and 1.
        let oneCycle = out.components(separatedBy: "One cycle").last ?? ""
        #expect(oneCycle.lines(containing: "true").filter { $0.first?.isNumber == true }.count == 2)
    }

    @Test func listAndHelp() throws {
        let list = try ChapterRunner.run("05-Learner", ["--list"])
        #expect(list.status == 0)
        #expect(list.output.contains("fit"))
        let help = try ChapterRunner.run("05-Learner", ["--help"])
        #expect(help.output.contains("--quick") && help.output.contains("--device"))
    }
}

// MARK: - 08 · Further research, and --seed on every chapter

extension ChapterTests {
    @Test func furtherResearch08() throws {
        let r = try ChapterRunner.run("08-FurtherResearch", ["--quick", "--no-pause", "--epochs", "2"])
        #expect(r.status == 0, "\(r.errors)")
        let out = r.output
        checkTrainingSteps(out, outputFolder: ChapterRunner.sandbox.appendingPathComponent("out"))
        // summary(): the simple CNN on the first quick batch of 128.
        #expect(out.contains("Sequential (Input shape: 128 x 3 x 64 x 64)"))
        #expect(out.contains("Total params: 98,730"))
        #expect(out.contains("Total mult-adds: 509,771,776 (3,982,592 per image)"))
        // learn.save: the file is where fastai puts it, laid out as safetensors with PyTorch's names.
        let model = ChapterRunner.sandbox.appendingPathComponent(
            "fastai/data/imagenette2-160-builtin-quick/models/stage1.safetensors")
        #expect(out.contains("wrote \(model.path)"))
        let bytes = [UInt8](try Data(contentsOf: model))
        let headerLength = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
        #expect(bytes.count == 8 + headerLength + 98_730 * 4, "header + float32 weights, nothing else")
        #expect(header.contains("\"0.0.weight\":{\"dtype\":\"F32\",\"shape\":[16,3,3,3]"))
        #expect(header.contains("\"5.weight\":{\"dtype\":\"F32\",\"shape\":[10,128]"))
        #expect(header.contains("\"vocab\":\"n01440764,n02102040,"))
        // learn.load: the fresh model's accuracy becomes the trained one's, weights and all.
        let after = out.lines(containing: "after load:").first.map { String($0).numbers } ?? []
        let trained = out.lines(containing: "after training (TrackResults").first.map { String($0).numbers } ?? []
        #expect(!after.isEmpty && after == trained, "\(after) vs \(trained)")
        #expect(out.contains("weights identical to the trained model's: true"))
        // A damaged file: named tensor, model untouched.
        #expect(out.contains("tensor \"5.weight\"") && out.contains("(truncated?)"))
        #expect(out.contains("weights still those of stage1: true"))
        // learn.predict: three ranked guesses with percentages.
        let guesses = (out.components(separatedBy: "learn.predict").last ?? "").split(separator: "\n")
            .filter { ["  1. ", "  2. ", "  3. "].contains(String($0.prefix(5))) && $0.hasSuffix("%") }.prefix(3)
        let percents = guesses.compactMap { String($0).numbers.last }
        #expect(percents.count == 3 && percents[0] >= percents[1] && percents[1] >= percents[2], "\(guesses)")
        #expect(percents.reduce(0, +) <= 100.05)
        #expect(out.contains("exit status 0"))
        // --seed: the same seed twice gives the same losses to the last digit, another seed others.
        let seeds = out.lines(containing: "seed ").filter { $0.hasPrefix("seed ") }.map(String.init)
        #expect(seeds.count == 3)
        if seeds.count == 3 {
            #expect(seeds[0] == seeds[1])
            #expect(seeds[0].dropFirst(7) != seeds[2].dropFirst(7))
        }

        // --predict on its own finds the model the run saved, and prints the top 3.
        let image = ChapterRunner.sandbox.appendingPathComponent(
            "fastai/data/imagenette2-160-builtin-quick/val/n03888605/n03888605_0.JPEG")
        let predicted = try ChapterRunner.run("08-FurtherResearch", ["--predict", image.path, "--quick"])
        #expect(predicted.status == 0, "\(predicted.errors)")
        #expect(predicted.output.lines(containing: "%").count == 3)
        #expect(predicted.output.contains("(model \(model.path)"))
        let missing = try ChapterRunner.run("08-FurtherResearch", ["--predict", "/nonexistent/photo.jpg", "--quick"])
        #expect(missing.status == 1 && missing.errors.contains("/nonexistent/photo.jpg"))
    }

    /// `--seed` on a chapter that trains: the printed losses repeat with the seed and change with it.
    @Test func seedFlag() throws {
        func trainingLines(_ seed: String) throws -> [String] {
            let r = try ChapterRunner.run("05-Learner", ["--quick", "--no-pause", "--seed", seed])
            #expect(r.status == 0, "\(r.errors)")
            // epoch, training, loss, accuracy; not the time.
            return r.output.lines(containing: "true").filter { $0.first?.isNumber == true }
                .map { $0.split(separator: " ").prefix(4).joined(separator: " ") }
        }
        let first = try trainingLines("1"), again = try trainingLines("1"), other = try trainingLines("2")
        #expect(!first.isEmpty)
        #expect(first == again)
        #expect(first != other)
        let bad = try ChapterRunner.run("05-Learner", ["--seed", "-3"])
        #expect(bad.status == 64 && bad.errors.contains("--seed"))
    }
}
