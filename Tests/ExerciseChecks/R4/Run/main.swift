// Shows exercise R4 at work: `swift run exercise-R4`. A long, narrow valley, f(a, b) = a² / 2 + 25 b²,
// from (-10, 1): plain SGD at a rate that keeps b stable crawls along a; momentum gets there sooner.
import ExerciseR4
import Shared

func descend(_ makeOptimizer: ([Parameter]) -> Optimizer) -> [Float] {
    let p = Parameter(Tensor([-10, 1], shape: [2]))
    let opt = makeOptimizer([p])
    var values: [Float] = []
    let scale = Tensor([0.5, 25], shape: [2])
    for _ in 0..<60 {
        let loss = (p * p * scale).sum()
        values.append(loss.item())
        loss.backward()
        opt.step()
    }
    return values
}

let plain = descend { SGD($0, lr: 0.03) }
let momentum = descend { MomentumSGD($0, lr: 0.03, momentum: 0.8) }
print("step  loss (SGD)    loss (SGD + momentum 0.8)")
for i in stride(from: 0, to: 60, by: 6) {
    print(
        String(i).padding(toLength: 6, withPad: " ", startingAt: 0)
            + cFormat("%.5f", Double(plain[i])).padding(toLength: 14, withPad: " ", startingAt: 0)
            + cFormat("%.5f", Double(momentum[i])))
}
