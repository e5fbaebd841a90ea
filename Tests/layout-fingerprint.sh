#!/usr/bin/env bash
# Prints a fingerprint of the folders the manifest finds on disk (the exercises, their checks and
# answers, the applied known-wrong answers). SwiftPM caches the evaluated manifest by its text and the
# environment, not by those folders: WORKBOOK_LAYOUT set to this makes a new folder count at once.
cd "$(dirname "$0")/.." || exit 1
find Exercises Solutions Tests/ExerciseChecks .build/wrong-answers -mindepth 1 -maxdepth 2 -type d 2>/dev/null \
    | sort | cksum | cut -d' ' -f1
