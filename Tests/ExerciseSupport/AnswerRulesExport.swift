// The checks' programs import ExerciseSupport alone; the rules they share with the grader come with it.
@_exported import AnswerRules
