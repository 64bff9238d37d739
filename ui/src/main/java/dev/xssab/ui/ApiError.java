package dev.xssab.ui;

/** The body of an API's 404: {@code {"error": "..."}}. */
record ApiError(String error) {}
