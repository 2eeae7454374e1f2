"""The editors' view: what users asked that the almanac could not answer, what they disliked, what to review.

Pure functions over records of what was asked (`records.Asked`); the stores that keep them live in bots.
"""
