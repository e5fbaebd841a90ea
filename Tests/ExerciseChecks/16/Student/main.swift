// `make exercise N=16`: the checks of exercise 16 against the student's answer in Exercises/.
import Checks16
import Exercise16
import ExerciseSupport

runChecks(
    exercise: "16",
    checks(
        FibonacciAnswer(
            fibonacci: { fibonacci(count: $0) }, descendants: { descendants(of: $0) },
            source: .exercises("16-Fibonacci"))),
    whenItHangs: "does every path reach a case that returns without calling itself again, and does every loop end?")
