import Dispatch
import Testing

@testable import Shared

/// Graph recording and gradient bookkeeping: noGrad, detach, accumulation, in-place updates.
@Suite struct AutogradTests {
    @Test func noGradRecordsNothing() {
        let x = Tensor([1, 2, 3], shape: [3], requiresGrad: true)
        let y = noGrad { (x * 2).exp().sum() }
        #expect(!y.requiresGrad && y.isLeaf)
        // Nested scopes restore the outer state, and recording resumes afterwards.
        noGrad {
            noGrad {}
            #expect(!(x + 1).requiresGrad)
        }
        let z = (x * 2).sum()
        #expect(z.requiresGrad && !z.isLeaf)
        // A throwing body still restores recording.
        struct Stop: Error {}
        _ = try? noGrad { throw Stop() }
        #expect((x * 2).requiresGrad)
    }

    /// Grad mode is per thread, as in PyTorch: another thread's `noGrad` does not stop this one.
    @Test func noGradIsPerThread() {
        let x = Tensor([1, 2], shape: [2], requiresGrad: true)
        let inside = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            noGrad {
                inside.signal()
                done.wait()
            }
        }
        inside.wait()
        let y = x * 3
        done.signal()
        #expect(y.requiresGrad && !y.isLeaf)
    }

    @Test func detachCutsTheGraph() {
        let x = Tensor([1, 2, 3], shape: [3], requiresGrad: true)
        let d = (x * 2).detach()
        #expect(!d.requiresGrad && d.isLeaf && d.toArray() == [2, 4, 6])
        let loss = (x * d).sum()
        loss.backward()
        // d counts as a constant: d(x·d)/dx = d.
        #expect(x.grad!.toArray() == [2, 4, 6])
    }

    @Test func gradientsAccumulateAcrossBackwardCalls() {
        let w = Tensor([1, -2, 3], shape: [3], requiresGrad: true)
        let x = Tensor([0.5, 1, 2], shape: [3])
        (w * x).sum().backward()
        #expect(w.grad!.toArray() == [0.5, 1, 2])
        (w * x).sum().backward()
        #expect(w.grad!.toArray() == [1, 2, 4])
        // Inputs that do not require a gradient get none.
        #expect(x.grad == nil)
        w.grad!.zero()
        (w * w).sum().backward()
        #expect(w.grad!.toArray() == [2, -4, 6])
    }

    @Test func sharedSubexpressionsSumTheirGradients() {
        let x = Tensor([2], shape: [1], requiresGrad: true)
        let y = x * x  // used twice below
        let z = (y * y + y).sum()  // z = x⁴ + x², dz/dx = 4x³ + 2x = 36
        z.backward()
        #expect(x.grad!.item() == 36)
        // Non-leaves keep no gradient of their own.
        #expect(y.grad == nil)
    }

    @Test func backwardWithAGradient() {
        let x = Tensor([1, 2, 3, 4], shape: [2, 2], requiresGrad: true)
        (x * 3).backward(gradient: Tensor([1, 0, 0, 2], shape: [2, 2]))
        #expect(x.grad!.toArray() == [3, 0, 0, 6])
    }

    @Test func inPlaceUpdates() {
        let p = Parameter(Tensor([1, 2, 3], shape: [3]))
        (p * p).sum().backward()  // grad = 2p = [2, 4, 6]
        SGD([p], lr: 0.1, wd: 0.5).step()
        // p − (2p + 0.5p) · 0.1 = 0.75p, and the gradient is zeroed for the next step.
        #expect(p.allClose(Tensor([0.75, 1.5, 2.25]), rtol: 1e-6))
        #expect(p.grad!.toArray() == [0, 0, 0])
        p -= Tensor([0.25, 0.5, 0.25])
        #expect(p.allClose(Tensor([0.5, 1, 2]), rtol: 1e-6))
        p += Tensor([0.25, 0.5, 0.25])
        #expect(p.allClose(Tensor([0.75, 1.5, 2.25]), rtol: 1e-6))
        p.addInPlace(Tensor([1, 1, 1]), alpha: -0.25)
        #expect(p.allClose(Tensor([0.5, 1.25, 2]), rtol: 1e-6))
        p.assign(Tensor.arange(3))
        #expect(p.toArray() == [0, 1, 2] && p.isLeaf && p.requiresGrad)
        p.zero()
        #expect(p.toArray() == [0, 0, 0])
        // A parameter without a gradient is left alone.
        let q = Parameter(Tensor([1], shape: [1]))
        SGD([q], lr: 1).step()
        #expect(q.item() == 1)
        // assign reads strided views.
        let r = Tensor.zeros([2, 3])
        r.assign(Tensor.arange(6).reshape([3, 2]).t())
        #expect(r.toArray() == [0, 2, 4, 1, 3, 5])
    }

    @Test func requiringGrad() {
        let x = Tensor.zeros([2]).requiringGrad()
        #expect(x.requiresGrad)
        #expect(!Tensor.zeros([2]).requiringGrad(false).requiresGrad)
        #expect(!(Tensor.zeros([2]) * 2).requiresGrad)
    }
}
