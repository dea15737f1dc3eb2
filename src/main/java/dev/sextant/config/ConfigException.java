package dev.sextant.config;

/** A configuration that cannot run; its message names the key or variable to fix. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
