// `make solution N=16`: the checks of exercise 16 against the reference answer in Solutions/.
import Checks16
import ExerciseSupport
import Reference16

runChecks(
    exercise: "16",
    checks(
        FibonacciAnswer(
            fibonacci: { fibonacci(count: $0) }, descendants: { descendants(of: $0) },
            source: .solutions("16-Fibonacci"))),
    whenItHangs: "does every path reach a case that returns without calling itself again, and does every loop end?")
