import Testing

@testable import Shared

/// PyTorch's version counter: a tensor changed in place after an op saved it for its backward stops
/// `backward()` with an error naming the op and the tensor, instead of giving a wrong gradient. Ops
/// whose backward does not read a tensor (addition, views) let it change, as PyTorch does, and the
/// optimiser's in-place step between two training steps trips nothing.
@Suite struct InPlaceGuardTests {
    static func stderrText(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test func everyInPlaceOpCountsAVersionSharedByViews() {
        let x = Tensor.zeros([2, 3])
        let view = x.reshape([6])
        #expect(x.storage.version == 0)
        noGrad {
            x += Tensor.ones([2, 3])
            x -= Tensor.ones([2, 3])
            x.addInPlace(Tensor.ones([2, 3]), alpha: 2)
            view.zero()
            x.assign(Tensor.ones([2, 3]))
        }
        #expect(x.storage.version == 5 && view.storage.version == 5)
        // Ops that compute leave their inputs' versions alone.
        _ = x * 2 + x.exp()
        #expect(x.storage.version == 5)
    }

    @Test func changingAnInputThatMulSavedStopsBackward() async {
        let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
            let w = Tensor([1, 2, 3], shape: [3], requiresGrad: true)
            let x = Tensor([4, 5, 6], shape: [3])
            let loss = (w * x).sum()
            noGrad { x -= Tensor.ones([3]) }
            loss.backward()
        }
        let text = Self.stderrText(result)
        #expect(
            text.contains(
                "error: backward of mul: its input 2 (a leaf tensor of shape [3]) was modified in place after "
                    + "mul saved it for the backward pass (it is at version 1, mul saved version 0)"),
            "\(text)")
    }

    @Test func changingAnOutputThatExpReadsStopsBackward() async {
        let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
            let x = Tensor([0, 1], shape: [2], requiresGrad: true)
            let y = x.exp()
            let loss = y.sum()
            noGrad { y.zero() }
            loss.backward()
        }
        let text = Self.stderrText(result)
        #expect(
            text.contains("error: backward of exp: its output (the result of exp of shape [2]) was modified"), "\(text)"
        )
    }

    @Test func changingAViewOfASavedTensorIsCaughtToo() async {
        let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
            let w = Tensor([1, 2, 3, 4], shape: [2, 2], requiresGrad: true)
            let x = Tensor([1, 1, 1, 1], shape: [2, 2])
            let loss = w.matmul(x).sum()
            noGrad { x.reshape([4]).zero() }
            loss.backward()
        }
        #expect(Self.stderrText(result).contains("error: backward of matmul: its input 2"))
    }

    @Test func changingTheLabelsNllPickedWithStopsBackward() async {
        let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
            let logits = Tensor.zeros([2, 3]).requiringGrad()
            let labels = Tensor([0, 2], shape: [2])
            let loss = crossEntropy(logits, labels)
            noGrad { labels.assign(Tensor([1, 1], shape: [2])) }
            loss.backward()
        }
        #expect(Self.stderrText(result).contains("error: backward of index: a tensor it read"))
    }

    @Test func opsThatSaveNothingLetTheirInputsChange() {
        // add's gradient is 1 whatever the numbers, so PyTorch allows this and so does the engine.
        let w = Tensor([1, 2], shape: [2], requiresGrad: true)
        let x = Tensor([3, 4], shape: [2])
        let loss = (w + x).sum()
        noGrad { x.zero() }
        loss.backward()
        #expect(w.grad!.toArray() == [1, 1])
    }

    @Test func sgdBetweenTrainingStepsTripsNothing() {
        // Two steps of a small model through the chapter's SGD: the update changes every parameter in
        // place after backward, the next forward records the new versions, and gradients stay right.
        let w = Parameter(Tensor([0.5, -0.5, 1, 2, 0, 1], shape: [3, 2]))
        let x = Tensor([1, 2, 3, 4], shape: [2, 2]), y = Tensor([0, 2], shape: [2])
        let opt = SGD([w], lr: 0.1, wd: 0.01)
        var losses: [Float] = []
        for _ in 0..<3 {
            let loss = crossEntropy(x.matmul(w.t()), y)
            losses.append(loss.item())
            loss.backward()
            opt.step()
        }
        #expect(w.storage.version == 3)  // one `-=` a step; `zero()` counts on the gradient's storage
        #expect(losses[2] < losses[0], "\(losses)")
    }
}
