// `make exercise N=R5`: the checks of exercise R5 against the student's answer in Exercises/.
import ChecksR5
import ExerciseR5
import ExerciseSupport

runChecks(
    exercise: "R5", checks(LabelSmoothingAnswer(loss: { eps in LabelSmoothingCrossEntropy(eps: eps).callAsFunction })))
