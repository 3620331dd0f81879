PASSWORD = "correct-horse-battery-staple"
