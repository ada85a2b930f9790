package dev.kmodcheck.frontend;

import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.cdt.core.dom.parser.IScannerExtensionConfiguration;
import org.eclipse.cdt.core.parser.Keywords;
import org.eclipse.cdt.core.parser.util.CharArrayIntMap;
import org.eclipse.cdt.internal.core.parser.scanner.CharArray;
import org.eclipse.cdt.internal.core.parser.scanner.IncludeGuardDetection;
import org.eclipse.cdt.internal.core.parser.scanner.Lexer;

/**
 * CDT's include-guard detection, done once per header text instead of once per inclusion.
 *
 * <p>CDT's preprocessor lexes every file it includes a second time, in full, to find out whether an
 * {@code #ifndef} guard spans it ({@code IncludeGuardDetection}); a guarded file then has "pragma
 * once" semantics: a later {@code #include} of it in the same unit is skipped without reading it. A
 * header of the module is included by every .c file of its directory, so that second lexing cost
 * about 4 % of a drivers/ scan. {@link IncludeProvider} turns CDT's own detection off ({@code
 * shouldIndexAllHeaderVersions}) and gives the same answers from here: the same detection, with the
 * lexer options and preprocessor keywords CDT's preprocessor uses, computed once for each text
 * served (the header texts are shared by all units, so identity is the key).
 */
final class IncludeGuards {

  /** A served text and the scanner configuration it is lexed with; identity of both. */
  private record Key(char[] chars, IScannerExtensionConfiguration config) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.chars == chars && k.config == config;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(chars) * 31 + System.identityHashCode(config);
    }
  }

  private final ConcurrentHashMap<Key, Boolean> guarded = new ConcurrentHashMap<>();

  /** Whether CDT would find an include guard spanning {@code chars}; cached by identity. */
  boolean guarded(char[] chars, IScannerExtensionConfiguration config) {
    return guarded.computeIfAbsent(new Key(chars, config), k -> detect(k.chars, k.config));
  }

  /** Whether CDT would find an include guard spanning {@code chars} (a text seen once). */
  static boolean detect(char[] chars, IScannerExtensionConfiguration config) {
    return IncludeGuardDetection.detectIncludeGuard(
            new CharArray(chars), lexerOptions(config), preprocessorKeywords(config))
        != null;
  }

  /**
   * As CPreprocessor's constructor sets them for C: image locations off (the frontend parses with
   * OPTION_NO_IMAGE_LOCATIONS), no include export patterns, no C++20 operators.
   */
  private static Lexer.LexerOptions lexerOptions(IScannerExtensionConfiguration c) {
    Lexer.LexerOptions o = new Lexer.LexerOptions();
    o.fSupportDollarInIdentifiers = c.support$InIdentifiers();
    o.fSupportAtSignInIdentifiers = c.supportAtSignInIdentifiers();
    o.fSupportMinAndMax = c.supportMinAndMaxOperators();
    o.fSupportSlashPercentComments = c.supportSlashPercentComments();
    o.fSupportUTFLiterals = c.supportUTFLiterals();
    o.fSupportRawStringLiterals = c.supportRawStringLiterals();
    o.fSupportUserDefinedLiterals = c.supportUserDefinedLiterals();
    o.fSupportDigitSeparators = c.supportDigitSeparators();
    o.fCreateImageLocations = false;
    return o;
  }

  private static CharArrayIntMap preprocessorKeywords(IScannerExtensionConfiguration c) {
    CharArrayIntMap pp = new CharArrayIntMap(40, -1);
    Keywords.addKeywordsPreprocessor(pp);
    CharArrayIntMap extra = c.getAdditionalPreprocessorKeywords();
    if (extra != null) {
      pp.putAll(extra);
    }
    return pp;
  }
}
