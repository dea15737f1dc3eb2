package dev.sextant.ratelimit;

/** What the limiter is asked: may one more request of {@code subject} in {@code group} pass? */
public record RateQuestion(String group, String subject) {}
