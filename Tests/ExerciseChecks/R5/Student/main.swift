// `make exercise N=R5`: the checks of exercise R5 against the student's answer in Exercises/.
import ChecksR5
import ExerciseSupport
import ExerciseR5

runChecks(exercise: "R5", checks(LabelSmoothingAnswer(loss: { eps in LabelSmoothingCrossEntropy(eps: eps).callAsFunction })))
