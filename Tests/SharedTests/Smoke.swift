import Testing
@testable import Shared

@Test func smoke() {
    let x = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3], requiresGrad: true)
    let w = Tensor([1, 0, -1, 2, 1, 0], shape: [2, 3], requiresGrad: true)
    let y = x.matmul(w.t()).relu().sum()
    y.backward()
    print(y, x.grad!, w.grad!)
    print(x.mean(axes: [0]), x.std(), x.logsumexp(axis: 1), x.max(axis: 1).indices)
    let img = Tensor.randn([2, 3, 5, 5], using: &GlobalRandom.generator).requiringGrad()
    let k = Tensor.randn([4, 3, 3, 3]).requiringGrad()
    let b = Tensor.zeros([4]).requiringGrad()
    let c = conv2d(img, k, b, stride: 2, padding: 1)
    print(c.shape)
    c.sum().backward()
    print(b.grad!)
    #expect(c.shape == [2, 4, 3, 3])
}
