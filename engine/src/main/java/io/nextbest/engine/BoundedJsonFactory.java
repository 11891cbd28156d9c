package io.nextbest.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.DataInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

/**
 * Jackson's factory with a bound on the magnitude of every number read, and text that must be
 * Unicode (no lone surrogates). Jackson limits a number's length (1,000 characters) but not its
 * exponent: {@code 1e100000000} is eleven bytes that become a 100-million-digit decimal once
 * written without an exponent, or once FEEL arithmetic touches it, and {@code 1e400} is an infinite
 * {@code double}. Numbers must be smaller than {@code 1e301} in magnitude, and exponents within
 * ±{@value #MAX_EXPONENT}; the check reads the token's characters, never its value, so a refused
 * number costs nothing.
 */
final class BoundedJsonFactory extends JsonFactory {
  private static final long serialVersionUID = 1L;

  /** Below {@code Double.MAX_VALUE} (1.8e308), far above any index, count, score or amount. */
  static final int MAX_EXPONENT = 300;

  BoundedJsonFactory() {
    super();
  }

  private BoundedJsonFactory(BoundedJsonFactory source, ObjectCodec codec) {
    super(source, codec);
  }

  @Override
  public JsonFactory copy() {
    _checkInvalidCopy(BoundedJsonFactory.class);
    return new BoundedJsonFactory(this, null);
  }

  @Override
  protected JsonParser _createParser(InputStream in, IOContext ctxt) throws IOException {
    return new Bounded(super._createParser(in, ctxt));
  }

  @Override
  protected JsonParser _createParser(Reader r, IOContext ctxt) throws IOException {
    return new Bounded(super._createParser(r, ctxt));
  }

  @Override
  protected JsonParser _createParser(
      char[] data, int offset, int len, IOContext ctxt, boolean recyclable) throws IOException {
    return new Bounded(super._createParser(data, offset, len, ctxt, recyclable));
  }

  @Override
  protected JsonParser _createParser(byte[] data, int offset, int len, IOContext ctxt)
      throws IOException {
    return new Bounded(super._createParser(data, offset, len, ctxt));
  }

  @Override
  protected JsonParser _createParser(DataInput input, IOContext ctxt) throws IOException {
    return new Bounded(super._createParser(input, ctxt));
  }

  /**
   * Checks each number token as it is reached; every other way to advance goes through these two.
   */
  private static final class Bounded extends JsonParserDelegate {
    Bounded(JsonParser parser) {
      super(parser);
    }

    @Override
    public JsonToken nextToken() throws IOException {
      return checked(super.nextToken());
    }

    @Override
    public JsonToken nextValue() throws IOException {
      return checked(super.nextValue());
    }

    private JsonToken checked(JsonToken token) throws IOException {
      if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
        check(getTextCharacters(), getTextOffset(), getTextLength());
      } else if (token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME) {
        unicode(getTextCharacters(), getTextOffset(), getTextLength());
      }
      return token;
    }

    /**
     * A {@code \uD800} escape without its pair is valid JSON but not Unicode text: it cannot be
     * written as UTF-8, so a store would keep something else than was sent (or refuse it on a
     * resend).
     */
    private void unicode(char[] text, int offset, int length) throws JsonParseException {
      int end = offset + length;
      for (int i = offset; i < end; i++) {
        char c = text[i];
        if (Character.isSurrogate(c)) {
          if (Character.isHighSurrogate(c)
              && i + 1 < end
              && Character.isLowSurrogate(text[i + 1])) {
            i++;
          } else {
            throw new JsonParseException(
                this,
                "Text holds a lone UTF-16 surrogate (\\u"
                    + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
                    + " at character "
                    + (i - offset + 1)
                    + "): it is not valid Unicode");
          }
        }
      }
    }

    /** {@code -?digits(.digits)?([eE][+-]?digits)?}, as the parser has already checked. */
    private void check(char[] text, int offset, int length) throws JsonParseException {
      int end = offset + length;
      int i = offset;
      if (i < end && text[i] == '-') {
        i++;
      }
      while (i < end && text[i] == '0') {
        i++;
      }
      int integerDigits = 0;
      while (i < end && text[i] >= '0' && text[i] <= '9') {
        integerDigits++;
        i++;
      }
      while (i < end && text[i] != 'e' && text[i] != 'E') {
        i++;
      }
      long exponent = 0;
      if (i < end) {
        i++;
        boolean negative = i < end && text[i] == '-';
        if (i < end && (text[i] == '-' || text[i] == '+')) {
          i++;
        }
        while (i < end && text[i] == '0') {
          i++;
        }
        if (end - i > 4) {
          throw tooLarge(text, offset, length);
        }
        for (; i < end; i++) {
          exponent = exponent * 10 + (text[i] - '0');
        }
        exponent = negative ? -exponent : exponent;
      }
      if (Math.abs(exponent) > MAX_EXPONENT || integerDigits + exponent > MAX_EXPONENT + 1) {
        throw tooLarge(text, offset, length);
      }
    }

    private JsonParseException tooLarge(char[] text, int offset, int length) {
      String shown = new String(text, offset, Math.min(length, 40)) + (length > 40 ? "…" : "");
      // Raised with this parser, so the answer can name the field the number was for.
      String at = getParsingContext().pathAsPointer().toString();
      return new JsonParseException(
          this,
          "Number "
              + shown
              + (at.isEmpty() ? "" : " at " + at)
              + " is out of range: numbers must be smaller than 1e"
              + (MAX_EXPONENT + 1)
              + " in magnitude with an exponent within ±"
              + MAX_EXPONENT);
    }
  }
}
