package dev.kmodcheck.frontend;

import dev.kmodcheck.budget.WorkBudget;
import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.Expr.IdKind;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.ParseProblem;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.StructDef;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.ir.VarDecl;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.cdt.core.dom.ast.DOMException;
import org.eclipse.cdt.core.dom.ast.EScopeKind;
import org.eclipse.cdt.core.dom.ast.IASTArraySubscriptExpression;
import org.eclipse.cdt.core.dom.ast.IASTAttribute;
import org.eclipse.cdt.core.dom.ast.IASTAttributeOwner;
import org.eclipse.cdt.core.dom.ast.IASTBinaryExpression;
import org.eclipse.cdt.core.dom.ast.IASTBreakStatement;
import org.eclipse.cdt.core.dom.ast.IASTCaseStatement;
import org.eclipse.cdt.core.dom.ast.IASTCastExpression;
import org.eclipse.cdt.core.dom.ast.IASTCompositeTypeSpecifier;
import org.eclipse.cdt.core.dom.ast.IASTCompoundStatement;
import org.eclipse.cdt.core.dom.ast.IASTConditionalExpression;
import org.eclipse.cdt.core.dom.ast.IASTContinueStatement;
import org.eclipse.cdt.core.dom.ast.IASTDeclSpecifier;
import org.eclipse.cdt.core.dom.ast.IASTDeclaration;
import org.eclipse.cdt.core.dom.ast.IASTDeclarationStatement;
import org.eclipse.cdt.core.dom.ast.IASTDeclarator;
import org.eclipse.cdt.core.dom.ast.IASTDefaultStatement;
import org.eclipse.cdt.core.dom.ast.IASTDoStatement;
import org.eclipse.cdt.core.dom.ast.IASTEqualsInitializer;
import org.eclipse.cdt.core.dom.ast.IASTExpression;
import org.eclipse.cdt.core.dom.ast.IASTExpressionList;
import org.eclipse.cdt.core.dom.ast.IASTExpressionStatement;
import org.eclipse.cdt.core.dom.ast.IASTFieldDeclarator;
import org.eclipse.cdt.core.dom.ast.IASTFieldReference;
import org.eclipse.cdt.core.dom.ast.IASTFileLocation;
import org.eclipse.cdt.core.dom.ast.IASTForStatement;
import org.eclipse.cdt.core.dom.ast.IASTFunctionCallExpression;
import org.eclipse.cdt.core.dom.ast.IASTFunctionDeclarator;
import org.eclipse.cdt.core.dom.ast.IASTFunctionDefinition;
import org.eclipse.cdt.core.dom.ast.IASTGotoStatement;
import org.eclipse.cdt.core.dom.ast.IASTIdExpression;
import org.eclipse.cdt.core.dom.ast.IASTIfStatement;
import org.eclipse.cdt.core.dom.ast.IASTInitializer;
import org.eclipse.cdt.core.dom.ast.IASTInitializerClause;
import org.eclipse.cdt.core.dom.ast.IASTInitializerList;
import org.eclipse.cdt.core.dom.ast.IASTLabelStatement;
import org.eclipse.cdt.core.dom.ast.IASTLiteralExpression;
import org.eclipse.cdt.core.dom.ast.IASTMacroExpansionLocation;
import org.eclipse.cdt.core.dom.ast.IASTName;
import org.eclipse.cdt.core.dom.ast.IASTNode;
import org.eclipse.cdt.core.dom.ast.IASTNodeLocation;
import org.eclipse.cdt.core.dom.ast.IASTNullStatement;
import org.eclipse.cdt.core.dom.ast.IASTParameterDeclaration;
import org.eclipse.cdt.core.dom.ast.IASTPreprocessorElifStatement;
import org.eclipse.cdt.core.dom.ast.IASTPreprocessorEndifStatement;
import org.eclipse.cdt.core.dom.ast.IASTPreprocessorIfStatement;
import org.eclipse.cdt.core.dom.ast.IASTPreprocessorIfdefStatement;
import org.eclipse.cdt.core.dom.ast.IASTPreprocessorIfndefStatement;
import org.eclipse.cdt.core.dom.ast.IASTPreprocessorIncludeStatement;
import org.eclipse.cdt.core.dom.ast.IASTPreprocessorMacroDefinition;
import org.eclipse.cdt.core.dom.ast.IASTPreprocessorMacroExpansion;
import org.eclipse.cdt.core.dom.ast.IASTPreprocessorStatement;
import org.eclipse.cdt.core.dom.ast.IASTProblemHolder;
import org.eclipse.cdt.core.dom.ast.IASTReturnStatement;
import org.eclipse.cdt.core.dom.ast.IASTSimpleDeclaration;
import org.eclipse.cdt.core.dom.ast.IASTStandardFunctionDeclarator;
import org.eclipse.cdt.core.dom.ast.IASTStatement;
import org.eclipse.cdt.core.dom.ast.IASTSwitchStatement;
import org.eclipse.cdt.core.dom.ast.IASTToken;
import org.eclipse.cdt.core.dom.ast.IASTTokenList;
import org.eclipse.cdt.core.dom.ast.IASTTranslationUnit;
import org.eclipse.cdt.core.dom.ast.IASTTypeId;
import org.eclipse.cdt.core.dom.ast.IASTTypeIdExpression;
import org.eclipse.cdt.core.dom.ast.IASTUnaryExpression;
import org.eclipse.cdt.core.dom.ast.IASTWhileStatement;
import org.eclipse.cdt.core.dom.ast.IBinding;
import org.eclipse.cdt.core.dom.ast.IEnumerator;
import org.eclipse.cdt.core.dom.ast.IField;
import org.eclipse.cdt.core.dom.ast.IFunction;
import org.eclipse.cdt.core.dom.ast.IParameter;
import org.eclipse.cdt.core.dom.ast.IProblemBinding;
import org.eclipse.cdt.core.dom.ast.IScope;
import org.eclipse.cdt.core.dom.ast.IType;
import org.eclipse.cdt.core.dom.ast.IValue;
import org.eclipse.cdt.core.dom.ast.IVariable;
import org.eclipse.cdt.core.dom.ast.c.ICASTArrayDesignator;
import org.eclipse.cdt.core.dom.ast.c.ICASTDesignatedInitializer;
import org.eclipse.cdt.core.dom.ast.c.ICASTDesignator;
import org.eclipse.cdt.core.dom.ast.c.ICASTFieldDesignator;
import org.eclipse.cdt.core.dom.ast.c.ICASTTypeIdInitializerExpression;
import org.eclipse.cdt.core.dom.ast.gnu.IGNUASTCompoundStatementExpression;
import org.eclipse.cdt.core.dom.ast.gnu.c.ICASTKnRFunctionDeclarator;
import org.eclipse.cdt.core.dom.ast.gnu.c.IGCCASTArrayRangeDesignator;
import org.eclipse.cdt.internal.core.dom.parser.c.CVisitor;
import org.eclipse.cdt.internal.core.dom.parser.c.ICInternalBinding;

/**
 * Translates one CDT translation unit into the IR. One instance per parse (not thread-safe);
 * bindings and types are resolved lazily and cached per unit.
 *
 * <p>Macro provenance: with image locations off, CDT gives every node inside a macro expansion the
 * file range of the whole expansion. So a node can only come from a macro if its file range equals
 * the range of some expansion; only those candidates pay for {@code getNodeLocations()}, and
 * children inherit their parent's macro.
 */
final class AstTranslator {

  private final IASTTranslationUnit ast;
  private final String mainFile;
  private final SourceText mainText;
  private final SourcePaths paths;
  private final HeaderCache headers;
  private final SourceText shim;
  private final boolean headerless;
  private final TypeMapper types;
  private final DeclaredTypes declared;
  private final LocalScopes scopes;

  /** Body of the function being translated: it shares the parameters' scope. */
  private IASTStatement functionBody;

  private IASTFunctionDeclarator functionParams;

  /**
   * Names a block (with the function's parameters, for its body) declares more than once. A
   * header-less macro assignment like {@code F(x) = 0;} reads as a second declaration of x, and
   * CDT's binding of the first then depends on the second: all of them are left to CDT.
   */
  private static Set<String> declaredTwice(IASTStatement[] kids, IASTFunctionDeclarator params) {
    Set<String> seen = new HashSet<>();
    Set<String> twice = new HashSet<>();
    if (params instanceof IASTStandardFunctionDeclarator sfd) {
      for (IASTParameterDeclaration p : sfd.getParameters()) {
        seen.add(innermost(p.getDeclarator()).getName().toString());
      }
    }
    for (IASTStatement k : kids) {
      if (k instanceof IASTDeclarationStatement ds
          && ds.getDeclaration() instanceof IASTSimpleDeclaration sd) {
        for (IASTDeclarator dr : sd.getDeclarators()) {
          String n = innermost(dr).getName().toString();
          if (!n.isEmpty() && !seen.add(n)) {
            twice.add(n);
          }
        }
      }
    }
    return twice;
  }

  private final Map<String, Set<Long>> expansionRanges = new HashMap<>();

  private final List<FunctionDef> functions = new ArrayList<>();
  private final List<VarDecl> globals = new ArrayList<>();
  private final List<StructDef> structs = new ArrayList<>();
  private final Set<IBinding> structsSeen = new HashSet<>();
  private final List<TranslationUnit.FunctionDecl> declarations = new ArrayList<>();
  private final List<ParseProblem> problems = new ArrayList<>();

  /** Macro of the node being translated; children inherit it. */
  private String curMacro;

  /**
   * The main file's preprocessor conditionals that test CONFIG options undefined in this parse:
   * their extent (from the {@code #if} to the end of the {@code #endif}) and those options.
   */
  private record ConfigRegion(int start, int end, Set<String> configs) {}

  private static final Pattern CONFIG_NAME = Pattern.compile("\\bCONFIG_[A-Za-z0-9_]+\\b");

  private final List<ConfigRegion> configRegions = new ArrayList<>();
  private static final char[] CONFIG_PREFIX = "CONFIG_".toCharArray();
  private Set<String> definedConfigs;
  private final List<String> buildConfigs;

  AstTranslator(
      IASTTranslationUnit ast,
      String mainFile,
      SourceText mainText,
      SourcePaths paths,
      HeaderCache headers,
      SourceText shim,
      boolean headerless,
      Set<String> buildConfigs,
      boolean ownResolution) {
    this.ast = ast;
    this.buildConfigs = List.copyOf(new TreeSet<>(buildConfigs));
    this.mainFile = mainFile;
    this.mainText = mainText;
    this.paths = paths;
    this.headers = headers;
    this.shim = shim;
    this.headerless = headerless;
    this.types = new TypeMapper(this::lengthExpr, this::position);
    this.declared =
        new DeclaredTypes(ast.getDeclarations(), types, this::lengthExpr, ownResolution);
    this.scopes = new LocalScopes(ownResolution);
  }

  TranslationUnit translate(String relPath) {
    for (IASTPreprocessorMacroExpansion x : ast.getMacroExpansions()) {
      IASTFileLocation fl = x.getFileLocation();
      if (fl != null) {
        expansionRanges
            .computeIfAbsent(fl.getFileName(), k -> new HashSet<>())
            .add(key(fl.getNodeOffset(), fl.getNodeLength()));
      }
    }
    if (headerless) configRegions();
    IASTDeclaration[] top = ast.getDeclarations();
    for (int i = 0; i < top.length; i++) {
      declared.enterTopLevel(i);
      topLevel(top[i]);
      declared.declareTopLevel(top[i]);
    }
    if (!headerless) {
      // With real include paths a missing header silently drops its macros and types (and so
      // findings); say so. Header-less mode skips kernel headers on purpose.
      for (IASTPreprocessorIncludeStatement inc : ast.getIncludeDirectives()) {
        if (!inc.isResolved() && inc.isActive() && inc.getFileLocation() != null) {
          problems.add(
              new ParseProblem(range(inc), "include not found: " + inc.getName().toString()));
        }
      }
    }
    return new TranslationUnit(
        relPath,
        mainText.lineCount(),
        List.copyOf(functions),
        List.copyOf(globals),
        List.copyOf(structs),
        List.copyOf(declarations),
        List.copyOf(problems),
        buildConfigs);
  }

  /**
   * Finds the main file's conditionals on CONFIG options this header-less parse leaves undefined
   * (every option the command line does not set), so that a function knows which configuration its
   * body belongs to.
   */
  private void configRegions() {
    record Open(int start, Set<String> configs) {}
    List<Open> open = new ArrayList<>();
    for (IASTPreprocessorStatement st : ast.getAllPreprocessorStatements()) {
      IASTFileLocation fl = st.getFileLocation();
      if (fl == null || !fl.getFileName().equals(mainFile)) continue;
      char[] cond = openingCondition(st);
      if (cond != null) {
        Set<String> configs = new TreeSet<>();
        if (st.isActive()) undefinedConfigs(cond, configs);
        open.add(new Open(fl.getNodeOffset(), configs));
      } else if (st instanceof IASTPreprocessorElifStatement e && !open.isEmpty()) {
        if (st.isActive()) {
          undefinedConfigs(e.getCondition(), open.get(open.size() - 1).configs());
        }
      } else if (st instanceof IASTPreprocessorEndifStatement && !open.isEmpty()) {
        Open o = open.remove(open.size() - 1);
        if (!o.configs().isEmpty()) {
          configRegions.add(
              new ConfigRegion(
                  o.start(), fl.getNodeOffset() + fl.getNodeLength(), Set.copyOf(o.configs())));
        }
      }
    }
  }

  /** The condition of an {@code #if}, {@code #ifdef} or {@code #ifndef}; null for the others. */
  private static char[] openingCondition(IASTPreprocessorStatement st) {
    char[] c = null;
    if (st instanceof IASTPreprocessorIfStatement i) c = i.getCondition();
    else if (st instanceof IASTPreprocessorIfdefStatement i) c = i.getCondition();
    else if (st instanceof IASTPreprocessorIfndefStatement i) c = i.getCondition();
    else return null;
    // Every opening directive is pushed, so that its #endif pops it.
    return c != null ? c : new char[0];
  }

  private void undefinedConfigs(char[] cond, Set<String> out) {
    if (cond == null) return;
    Matcher m = CONFIG_NAME.matcher(new String(cond));
    while (m.find()) {
      if (!definedConfigs().contains(m.group())) out.add(m.group());
    }
  }

  /**
   * The CONFIG_ macros this parse defines, made on the first conditional that tests one: most units
   * test none, and the ~1,000 predefined macros of a header-less parse need not become strings for
   * them.
   */
  private Set<String> definedConfigs() {
    if (definedConfigs == null) {
      definedConfigs = new HashSet<>();
      for (IASTPreprocessorMacroDefinition m : ast.getMacroDefinitions()) addConfigName(m);
      for (IASTPreprocessorMacroDefinition m : ast.getBuiltinMacroDefinitions()) addConfigName(m);
    }
    return definedConfigs;
  }

  private void addConfigName(IASTPreprocessorMacroDefinition m) {
    char[] name = m.getName().toCharArray();
    if (name.length <= CONFIG_PREFIX.length) return;
    for (int i = 0; i < CONFIG_PREFIX.length; i++) {
      if (name[i] != CONFIG_PREFIX[i]) return;
    }
    definedConfigs.add(new String(name));
  }

  /** The options of the conditionals that overlap {@code fd} in the main file, sorted. */
  private List<String> configsOff(IASTFunctionDefinition fd) {
    if (configRegions.isEmpty()) return List.of();
    IASTFileLocation fl = fd.getFileLocation();
    if (fl == null || !fl.getFileName().equals(mainFile)) return List.of();
    int start = fl.getNodeOffset();
    int end = start + fl.getNodeLength();
    Set<String> out = new TreeSet<>();
    for (ConfigRegion r : configRegions) {
      if (r.start() < end && r.end() > start) out.addAll(r.configs());
    }
    return List.copyOf(out);
  }

  private static long key(int offset, int length) {
    return ((long) offset << 32) | (length & 0xffffffffL);
  }

  // ---------------------------------------------------------------- locations

  private SrcRange range(IASTNode n) {
    return range(n.getFileLocation());
  }

  private SrcRange range(IASTFileLocation fl) {
    if (fl == null) {
      return SrcRange.UNKNOWN;
    }
    FileInfo info = fileInfo(fl.getFileName());
    SourceText text = info.text;
    String rel = info.rel;
    if (text == null) {
      return new SrcRange(rel, fl.getStartingLineNumber(), 1, fl.getEndingLineNumber(), 1);
    }
    int off = fl.getNodeOffset();
    int end = off + fl.getNodeLength();
    int line = text.lineOf(off);
    int endLine = text.lineOf(end);
    return new SrcRange(rel, line, text.columnOf(off, line), endLine, text.columnOf(end, endLine));
  }

  /** A file's text (null when unknown) and report path, looked up once per file and unit. */
  private record FileInfo(SourceText text, String rel) {}

  private final Map<String, FileInfo> fileInfos = new HashMap<>();
  private String lastFileName;
  private FileInfo lastFileInfo;

  private FileInfo fileInfo(String file) {
    // Consecutive nodes are nearly always in one file (CDT hands out one name string per file).
    if (file == lastFileName) {
      return lastFileInfo;
    }
    FileInfo info = fileInfos.get(file);
    if (info == null) {
      info = new FileInfo(textOf(file), paths.relative(file));
      // A text not served (yet) is looked up again next time, as before.
      if (info.text == null) {
        return info;
      }
      fileInfos.put(file, info);
    }
    lastFileName = file;
    lastFileInfo = info;
    return info;
  }

  private SourceText textOf(String file) {
    if (file.equals(mainFile)) {
      return mainText;
    }
    if (file.equals(IncludeProvider.SHIM_PATH)) {
      return shim;
    }
    return headers.cached(file);
  }

  private String position(IASTNode n) {
    SrcRange r = range(n);
    return r.file() + ":" + r.line() + ":" + r.column();
  }

  private boolean wanted(IASTNode n) {
    if (!headerless) {
      return true;
    }
    // Header-less: the .c file and the module's own headers next to it, never the shim.
    IASTFileLocation fl = n.getFileLocation();
    return fl != null && !fl.getFileName().equals(IncludeProvider.SHIM_PATH);
  }

  /** The outermost macro expansion that produced all of {@code n}, or null. */
  private String macroOf(IASTNode n, IASTFileLocation fl) {
    if (curMacro != null) {
      return curMacro;
    }
    if (fl == null) {
      return null;
    }
    String file = fl.getFileName();
    Set<Long> ranges = expansionRanges.get(file);
    // getMacroExpansions() covers the main file only; header nodes (build-aware mode) pay for the
    // full location query.
    boolean candidate =
        ranges != null
            ? ranges.contains(key(fl.getNodeOffset(), fl.getNodeLength()))
            : !file.equals(mainFile);
    if (!candidate) {
      return null;
    }
    IASTNodeLocation[] locs = n.getNodeLocations();
    if (locs.length == 1 && locs[0] instanceof IASTMacroExpansionLocation m) {
      return m.getExpansion().getMacroReference().toString();
    }
    return null;
  }

  private void problem(IASTNode node) {
    problems.add(new ParseProblem(range(node), problemMessage(node)));
  }

  private static String problemMessage(IASTNode node) {
    return node instanceof IASTProblemHolder h && h.getProblem() != null
        ? h.getProblem().getMessage()
        : "syntax error";
  }

  private static String snippet(IASTNode n) {
    String s = n.getRawSignature();
    int nl = s.indexOf('\n');
    if (nl >= 0) {
      s = s.substring(0, nl);
    }
    return s.length() > 80 ? s.substring(0, 80) : s;
  }

  // ---------------------------------------------------------------- declarations

  private void topLevel(IASTDeclaration d) {
    WorkBudget.checkpoint();
    if (d instanceof IASTFunctionDefinition fd) {
      if (wanted(fd)) {
        functions.add(function(fd));
      } else {
        records(fd.getDeclSpecifier());
      }
    } else if (d instanceof IASTSimpleDeclaration sd) {
      records(sd.getDeclSpecifier());
      if (wanted(sd)) {
        globalDecl(sd);
      }
    } else if (d instanceof IASTProblemHolder) {
      if (wanted(d)) {
        problems.add(
            new ParseProblem(range(d), problemMessage(d), functionBodies(d.getRawSignature())));
      }
    }
  }

  /**
   * Function definitions in the text of a file-scope problem: each brace block at depth 0 that
   * follows a closing parenthesis ({@code f(...) {}}), skipping strings, characters and comments.
   * CDT's recovery can swallow several functions into one problem; none of them is analysed.
   */
  static int functionBodies(String text) {
    int depth = 0;
    int count = 0;
    char lastSignificant = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
        while (i < n && text.charAt(i) != '\n') i++;
        continue;
      }
      if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        int end = text.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 1;
        continue;
      }
      if (c == '"' || c == '\'') {
        for (i++; i < n && text.charAt(i) != c; i++) {
          if (text.charAt(i) == '\\') i++;
        }
        lastSignificant = c;
        continue;
      }
      if (c == '{') {
        if (depth == 0 && lastSignificant == ')') count++;
        depth++;
      } else if (c == '}') {
        depth = Math.max(0, depth - 1);
      }
      if (!Character.isWhitespace(c)) lastSignificant = c;
    }
    return count;
  }

  private void globalDecl(IASTSimpleDeclaration sd) {
    IASTDeclSpecifier spec = sd.getDeclSpecifier();
    int sc = spec.getStorageClass();
    if (sc == IASTDeclSpecifier.sc_typedef) {
      return;
    }
    boolean isStatic = sc == IASTDeclSpecifier.sc_static;
    for (IASTDeclarator dr : sd.getDeclarators()) {
      IASTName name = innermost(dr).getName();
      CType own = ownType(name, spec, dr);
      if (own != null) {
        if (DeclaredTypes.unwrap(own) instanceof CType.Function ft) {
          declarations.add(
              new TranslationUnit.FunctionDecl(range(dr), name.toString(), ft, isStatic));
        } else {
          globals.add(varDecl(dr, own, isStatic, sc == IASTDeclSpecifier.sc_extern));
        }
        continue;
      }
      IBinding b = name.resolveBinding();
      if (b instanceof IFunction f) {
        declarations.add(
            new TranslationUnit.FunctionDecl(
                range(dr), name.toString(), types.map(f.getType()), isStatic));
      } else {
        globals.add(varDecl(dr, b, isStatic, sc == IASTDeclSpecifier.sc_extern));
      }
    }
  }

  /** A file-scope name's type from our own scopes when it is declared once, else null. */
  private CType ownType(IASTName name, IASTDeclSpecifier spec, IASTDeclarator dr) {
    if (name.toString().isEmpty() || !declared.declaredOnce(name)) {
      return null;
    }
    return declared.typeOf(spec, dr, false);
  }

  private VarDecl varDecl(IASTDeclarator dr, IBinding b, boolean isStatic, boolean isExtern) {
    CType type = b instanceof IVariable v ? types.map(v.getType()) : unknownType(dr);
    return varDecl(dr, type, isStatic, isExtern);
  }

  private VarDecl varDecl(IASTDeclarator dr, CType type, boolean isStatic, boolean isExtern) {
    IASTDeclarator inner = innermost(dr);
    Expr init = initializer(dr.getInitializer());
    return new VarDecl(range(dr), inner.getName().toString(), type, init, isStatic, isExtern);
  }

  private CType unknownType(IASTDeclarator dr) {
    return new CType.Unknown(snippet(dr));
  }

  private static IASTDeclarator innermost(IASTDeclarator d) {
    while (d.getNestedDeclarator() != null) {
      d = d.getNestedDeclarator();
    }
    return d;
  }

  /** Struct/union definitions in a declaration specifier, recursively for their members. */
  private void records(IASTDeclSpecifier spec) {
    if (spec instanceof IASTCompositeTypeSpecifier cs) {
      structDef(cs);
    }
  }

  private StructDef structDef(IASTCompositeTypeSpecifier cs) {
    IBinding b = cs.getName().resolveBinding();
    boolean union = cs.getKey() == IASTCompositeTypeSpecifier.k_union;
    String tag = b == null ? cs.getName().toString() : types.tagOf(b, union ? "union" : "struct");
    List<StructDef.Field> fields = new ArrayList<>();
    Set<String> repeated = repeatedMemberNames(cs);
    for (IASTDeclaration m : cs.getMembers()) {
      if (m instanceof IASTSimpleDeclaration ms) {
        IASTDeclSpecifier mspec = ms.getDeclSpecifier();
        IASTDeclarator[] ds = ms.getDeclarators();
        if (mspec instanceof IASTCompositeTypeSpecifier inner) {
          StructDef nested = structDef(inner);
          if (ds.length == 0) {
            fields.add(
                new StructDef.Field(
                    null,
                    new CType.Record(nested.union(), nested.tag()),
                    null,
                    aligned(attributes(mspec)),
                    packed(attributes(mspec))));
            continue;
          }
        }
        for (IASTDeclarator dr : ds) {
          IASTDeclarator in = innermost(dr);
          CType ft =
              repeated.contains(in.getName().toString())
                  ? null
                  : declared.typeOf(ms.getDeclSpecifier(), dr, false);
          if (ft == null) {
            IBinding fb = in.getName().resolveBinding();
            ft = fb instanceof IField f ? types.map(f.getType()) : unknownType(dr);
          } else if (DeclaredTypes.unwrap(ft) instanceof CType.Function) {
            // CDT binds a member of function type as a function, not a field.
            ft = unknownType(dr);
          }
          Expr width = null;
          if (dr instanceof IASTFieldDeclarator fd && fd.getBitFieldSize() != null) {
            width = expr(fd.getBitFieldSize());
          }
          List<IASTAttribute> attrs = new ArrayList<>(attributes(mspec));
          attrs.addAll(declaratorAttributes(dr));
          String fname = in.getName().toString();
          fields.add(
              new StructDef.Field(
                  fname.isEmpty() ? null : fname, ft, width, aligned(attrs), packed(attrs)));
        }
      } else if (m instanceof IASTProblemHolder) {
        problem(m);
        // The member CDT could not read (often an unknown declaration macro) still occupies
        // space: an unknown-typed placeholder keeps the struct's size unknown, not too small.
        fields.add(new StructDef.Field(null, new CType.Unknown(snippet(m)), null, null, false));
      }
    }
    List<IASTAttribute> own = attributes(cs);
    StructDef def =
        new StructDef(range(cs), union, tag, List.copyOf(fields), packed(own), aligned(own));
    if (b == null || structsSeen.add(b)) {
      structs.add(def);
    }
    return def;
  }

  /** Member names declared more than once (CDT merges or rejects them: its binding decides). */
  private static Set<String> repeatedMemberNames(IASTCompositeTypeSpecifier cs) {
    Set<String> seen = new HashSet<>();
    Set<String> repeated = new HashSet<>();
    for (IASTDeclaration m : cs.getMembers()) {
      if (m instanceof IASTSimpleDeclaration ms) {
        for (IASTDeclarator dr : ms.getDeclarators()) {
          String n = innermost(dr).getName().toString();
          if (!n.isEmpty() && !seen.add(n)) {
            repeated.add(n);
          }
        }
      }
    }
    return repeated;
  }

  private static List<IASTAttribute> attributes(IASTNode n) {
    if (n instanceof IASTAttributeOwner o) {
      IASTAttribute[] a = o.getAttributes();
      if (a.length > 0) {
        return List.of(a);
      }
    }
    return List.of();
  }

  private static List<IASTAttribute> declaratorAttributes(IASTDeclarator d) {
    List<IASTAttribute> out = new ArrayList<>();
    for (IASTDeclarator x = d; x != null; x = x.getNestedDeclarator()) {
      out.addAll(attributes(x));
    }
    return out;
  }

  private static String attrName(IASTAttribute a) {
    String n = new String(a.getName());
    if (n.startsWith("__") && n.endsWith("__") && n.length() > 4) {
      n = n.substring(2, n.length() - 2);
    }
    return n;
  }

  private static String tokenText(IASTToken t) {
    if (t instanceof IASTTokenList tl) {
      StringBuilder sb = new StringBuilder();
      for (IASTToken x : tl.getTokens()) {
        String s = tokenText(x);
        if (!sb.isEmpty()
            && !s.isEmpty()
            && Character.isJavaIdentifierPart(sb.charAt(sb.length() - 1))
            && Character.isJavaIdentifierPart(s.charAt(0))) {
          sb.append(' ');
        }
        sb.append(s);
      }
      return sb.toString();
    }
    return new String(t.getTokenCharImage());
  }

  private static String attrText(IASTAttribute a) {
    IASTToken arg = a.getArgumentClause();
    return arg == null ? attrName(a) : attrName(a) + "(" + tokenText(arg) + ")";
  }

  private static boolean packed(List<IASTAttribute> attrs) {
    for (IASTAttribute a : attrs) {
      if (attrName(a).equals("packed")) {
        return true;
      }
    }
    return false;
  }

  /** The last aligned attribute's argument; bare {@code aligned} means 16 on x86_64/arm64. */
  private Expr aligned(List<IASTAttribute> attrs) {
    Expr result = null;
    for (IASTAttribute a : attrs) {
      if (!attrName(a).equals("aligned")) {
        continue;
      }
      IASTToken arg = a.getArgumentClause();
      SrcRange r = range(a);
      if (arg == null) {
        result = new Expr.IntLit(r, null, BigInteger.valueOf(16), false, 0);
        continue;
      }
      String text = tokenText(arg);
      Literals.IntValue v = Literals.parseInt(text);
      result =
          v != null
              ? new Expr.IntLit(r, null, v.value(), v.unsigned(), v.longness())
              : new Expr.Opaque(r, null, text);
    }
    return result;
  }

  // ---------------------------------------------------------------- functions

  private FunctionDef function(IASTFunctionDefinition fd) {
    IASTDeclSpecifier spec = fd.getDeclSpecifier();
    records(spec);
    IASTFunctionDeclarator decl = fd.getDeclarator();
    IASTName name = innermost(decl).getName();
    // Declared once, the function's binding and its parameters' come from this definition alone.
    boolean once = declared.declaredOnce(name);
    CType own = once ? declared.typeOf(spec, decl, false) : null;
    CType ret = new CType.Unknown("?");
    if (DeclaredTypes.unwrap(own) instanceof CType.Function ft) {
      ret = ft.returnType();
    } else {
      once = false;
      IBinding b = name.resolveBinding();
      if (b instanceof IFunction f) {
        ret = types.map(f.getType().getReturnType());
      }
    }
    List<VarDecl> params = new ArrayList<>();
    boolean varargs = false;
    scopes.enterFunction();
    if (decl instanceof IASTStandardFunctionDeclarator sfd) {
      varargs = sfd.takesVarArgs();
      for (IASTParameterDeclaration p : sfd.getParameters()) {
        IASTDeclarator pd = innermost(p.getDeclarator());
        CType pt =
            once && !pd.getName().toString().isEmpty()
                ? declared.typeOf(p.getDeclSpecifier(), p.getDeclarator(), true)
                : null;
        String pname = pd.getName().toString();
        if (pt == null) {
          IBinding pb = pd.getName().resolveBinding();
          pt = pb instanceof IVariable v ? types.map(v.getType()) : unknownType(pd);
          // An identifier naming the parameter resolves to this same binding.
          scopes.declareResolvable(
              pd.getName(),
              pb instanceof IParameter ? new LocalScopes.Local(IdKind.PARAM, pt) : null);
        } else {
          scopes.declareResolvable(pd.getName(), new LocalScopes.Local(IdKind.PARAM, pt));
        }
        declared.declareLocal(p.getDeclSpecifier(), new IASTDeclarator[] {p.getDeclarator()});
        if (pd.getName().toString().isEmpty()
            && pt instanceof CType.Scalar s
            && s.name().equals("void")) {
          continue;
        }
        params.add(new VarDecl(range(p), pd.getName().toString(), pt, null, false, false));
      }
    } else if (decl instanceof ICASTKnRFunctionDeclarator knr) {
      for (IASTName pn : knr.getParameterNames()) {
        declared.declareLocalName(pn.toString());
        scopes.declareOther(pn.toString());
        IBinding pb = pn.resolveBinding();
        CType pt = pb instanceof IVariable v ? types.map(v.getType()) : new CType.Scalar("int");
        params.add(new VarDecl(range(pn), pn.toString(), pt, null, false, false));
      }
    }
    List<String> attrs = new ArrayList<>();
    for (IASTAttribute a : attributes(spec)) {
      attrs.add(attrText(a));
    }
    for (IASTAttribute a : declaratorAttributes(decl)) {
      attrs.add(attrText(a));
    }
    // Sparse annotations written as the body's first statements mean what they mean after the
    // declarator (hid-logitech-hidpp.c's "__must_hold(&hidpp->send_mutex);").
    if (fd.getBody() instanceof IASTCompoundStatement cs) {
      for (IASTStatement k : cs.getStatements()) {
        String annotation = lockAnnotation(k);
        if (annotation != null) {
          attrs.add(annotation);
        } else if (!(k instanceof IASTDeclarationStatement)) {
          break;
        }
      }
    }
    functionBody = fd.getBody();
    functionParams = decl;
    Stmt body;
    try {
      body = stmt(fd.getBody());
    } finally {
      functionBody = null;
      functionParams = null;
      scopes.exitFunction();
    }
    Stmt.Block block =
        body instanceof Stmt.Block bl ? bl : new Stmt.Block(body.range(), List.of(body));
    return new FunctionDef(
        range(fd),
        range(name),
        name.toString(),
        ret,
        List.copyOf(params),
        varargs,
        spec.getStorageClass() == IASTDeclSpecifier.sc_static,
        List.copyOf(attrs),
        block,
        configsOff(fd));
  }

  // ---------------------------------------------------------------- statements

  private Stmt stmt(IASTStatement s) {
    if (s == null) {
      return null;
    }
    IASTFileLocation fl = s.getFileLocation();
    if (lockAnnotation(s) != null) {
      return new Stmt.Empty(range(fl));
    }
    String saved = curMacro;
    curMacro = macroOf(s, fl);
    try {
      return stmtInner(s, range(fl));
    } finally {
      curMacro = saved;
    }
  }

  /**
   * The attribute text ({@code must_hold(&d->lock)}) of a statement that is nothing but a sparse
   * lock annotation ({@code __must_hold(&d->lock);}), else null. The shim expands the annotations
   * to attributes, which are not statements: CDT parses the statement form as a problem.
   */
  private static String lockAnnotation(IASTStatement s) {
    IASTNode problem = s;
    if (s instanceof IASTDeclarationStatement ds) problem = ds.getDeclaration();
    if (s instanceof IASTExpressionStatement es) problem = es.getExpression();
    if (!(problem instanceof IASTProblemHolder)) return null;
    IASTNodeLocation[] locs = s.getNodeLocations();
    if (locs.length == 0 || !(locs[0] instanceof IASTMacroExpansionLocation m)) return null;
    IASTPreprocessorMacroExpansion expansion = m.getExpansion();
    String name = expansion.getMacroReference().toString();
    if (!LOCK_ANNOTATIONS.contains(name)) return null;
    String call = expansion.getRawSignature();
    String whole = s.getRawSignature().strip();
    if (!whole.endsWith(";") || !compact(whole).equals(compact(call) + ";")) return null;
    int open = call.indexOf('(');
    if (open < 0 || !call.endsWith(")")) return null;
    return name.substring(2) + "(" + compact(call.substring(open + 1, call.length() - 1)) + ")";
  }

  /** The shim's sparse lock annotations (headerless-macros.txt). */
  private static final Set<String> LOCK_ANNOTATIONS =
      Set.of("__must_hold", "__acquires", "__releases");

  /** Source text without whitespace, as attribute arguments are read (a space between names). */
  private static String compact(String text) {
    StringBuilder sb = new StringBuilder();
    boolean space = false;
    for (char c : text.toCharArray()) {
      if (Character.isWhitespace(c)) {
        space = true;
        continue;
      }
      if (space
          && !sb.isEmpty()
          && Character.isJavaIdentifierPart(sb.charAt(sb.length() - 1))
          && Character.isJavaIdentifierPart(c)) {
        sb.append(' ');
      }
      space = false;
      sb.append(c);
    }
    return sb.toString();
  }

  private Stmt stmtInner(IASTStatement s, SrcRange r) {
    if (s instanceof IASTCompoundStatement cs) {
      boolean scoped = cs != functionBody;
      IASTStatement[] kids = cs.getStatements();
      if (scoped) {
        scopes.push();
      }
      scopes.leaveToCdt(declaredTwice(kids, scoped ? null : functionParams));
      try {
        List<Stmt> out = new ArrayList<>(kids.length);
        for (IASTStatement k : kids) {
          out.add(stmt(k));
        }
        return new Stmt.Block(r, out);
      } finally {
        if (scoped) {
          scopes.pop();
        }
      }
    }
    if (s instanceof IASTExpressionStatement es) {
      return new Stmt.ExprStmt(r, expr(es.getExpression()));
    }
    if (s instanceof IASTDeclarationStatement ds) {
      return declStmt(ds, r);
    }
    if (s instanceof IASTIfStatement is) {
      return new Stmt.If(
          r, expr(is.getConditionExpression()), stmt(is.getThenClause()), stmt(is.getElseClause()));
    }
    if (s instanceof IASTWhileStatement ws) {
      return new Stmt.While(r, expr(ws.getCondition()), stmt(ws.getBody()));
    }
    if (s instanceof IASTDoStatement ds) {
      return new Stmt.DoWhile(r, stmt(ds.getBody()), expr(ds.getCondition()));
    }
    if (s instanceof IASTForStatement fs) {
      scopes.push();
      try {
        Stmt init =
            fs.getInitializerStatement() instanceof IASTNullStatement
                ? null
                : stmt(fs.getInitializerStatement());
        return new Stmt.For(
            r,
            init,
            expr(fs.getConditionExpression()),
            expr(fs.getIterationExpression()),
            stmt(fs.getBody()));
      } finally {
        scopes.pop();
      }
    }
    if (s instanceof IASTSwitchStatement ss) {
      return new Stmt.Switch(r, expr(ss.getControllerExpression()), stmt(ss.getBody()));
    }
    if (s instanceof IASTCaseStatement cs) {
      return new Stmt.Case(r, expr(cs.getExpression()));
    }
    if (s instanceof IASTDefaultStatement) {
      return new Stmt.Case(r, null);
    }
    if (s instanceof IASTBreakStatement) {
      return new Stmt.Break(r);
    }
    if (s instanceof IASTContinueStatement) {
      return new Stmt.Continue(r);
    }
    if (s instanceof IASTReturnStatement rs) {
      return new Stmt.Return(r, expr(rs.getReturnValue()));
    }
    if (s instanceof IASTGotoStatement gs) {
      return new Stmt.Goto(r, gs.getName().toString());
    }
    if (s instanceof IASTLabelStatement ls) {
      return new Stmt.Label(r, ls.getName().toString(), stmt(ls.getNestedStatement()));
    }
    if (s instanceof IASTNullStatement) {
      return new Stmt.Empty(r);
    }
    if (s instanceof IASTProblemHolder) {
      problem(s);
    }
    return new Stmt.Opaque(r, snippet(s));
  }

  private Stmt declStmt(IASTDeclarationStatement ds, SrcRange r) {
    IASTDeclaration d = ds.getDeclaration();
    if (!(d instanceof IASTSimpleDeclaration sd)) {
      if (d instanceof IASTProblemHolder) {
        problem(d);
      }
      return new Stmt.Opaque(r, snippet(ds));
    }
    IASTDeclSpecifier spec = sd.getDeclSpecifier();
    records(spec);
    declared.declareLocal(spec, sd.getDeclarators());
    DeclaredTypes.enumerators(spec, scopes::declareOther);
    int sc = spec.getStorageClass();
    boolean isStatic = sc == IASTDeclSpecifier.sc_static;
    boolean isExtern = sc == IASTDeclSpecifier.sc_extern;
    List<VarDecl> vars = new ArrayList<>();
    for (IASTDeclarator dr : sd.getDeclarators()) {
      IASTName name = innermost(dr).getName();
      String n = name.toString();
      if (sc == IASTDeclSpecifier.sc_typedef) {
        scopes.declareOther(n);
        continue;
      }
      // A block-scope extern or a second declaration in one scope: CDT's binding decides.
      boolean again = scopes.declaredHere(n);
      CType own = isExtern || again ? null : declared.typeOf(spec, dr, false);
      if (own != null && !(DeclaredTypes.unwrap(own) instanceof CType.Function)) {
        // Declared before its initializer, which may name it.
        scopes.declareResolvable(name, new LocalScopes.Local(IdKind.LOCAL, own));
        vars.add(varDecl(dr, own, isStatic, false));
        continue;
      }
      if (again) {
        scopes.resolveEarlier(n);
      }
      IBinding b = name.resolveBinding();
      if (b instanceof IFunction f) {
        scopes.declareResolvable(name, null);
        declarations.add(
            new TranslationUnit.FunctionDecl(
                range(dr), b.getName(), types.map(f.getType()), false));
        continue;
      }
      CType type = b instanceof IVariable v ? types.map(v.getType()) : unknownType(dr);
      scopes.declareResolvable(
          name,
          !isExtern && b instanceof IVariable v && !(b instanceof IParameter)
              ? new LocalScopes.Local(variableKind(v), type)
              : null);
      vars.add(varDecl(dr, type, isStatic, isExtern));
    }
    return new Stmt.Decl(r, List.copyOf(vars));
  }

  // ---------------------------------------------------------------- expressions

  private Expr lengthExpr(IASTExpression e) {
    String saved = curMacro;
    curMacro = null;
    // A type's length is resolved where the type is declared, not in the function using it.
    scopes.suspend();
    try {
      return expr(e);
    } finally {
      scopes.resume();
      curMacro = saved;
    }
  }

  private Expr expr(IASTExpression e) {
    if (e == null) {
      return null;
    }
    // CDT finds a node's file location by walking up to the root: quadratic in nesting depth.
    WorkBudget.checkpoint();
    IASTFileLocation fl = e.getFileLocation();
    String saved = curMacro;
    String m = macroOf(e, fl);
    curMacro = m;
    try {
      return exprInner(e, range(fl), m);
    } finally {
      curMacro = saved;
    }
  }

  private Expr exprInner(IASTExpression e, SrcRange r, String m) {
    if (e instanceof IASTIdExpression id) {
      return ident(id.getName(), r, m);
    }
    if (e instanceof IASTLiteralExpression lit) {
      return literal(lit, r, m);
    }
    if (e instanceof IASTBinaryExpression be) {
      String op = binaryOp(be.getOperator());
      if (op == null) {
        return new Expr.Opaque(r, m, snippet(be));
      }
      return new Expr.Binary(r, m, op, expr(be.getOperand1()), expr(be.getOperand2()));
    }
    if (e instanceof IASTUnaryExpression ue) {
      return unary(ue, r, m);
    }
    if (e instanceof IASTFunctionCallExpression call) {
      Expr callee = expr(call.getFunctionNameExpression());
      IASTInitializerClause[] args = call.getArguments();
      List<Expr> out = new ArrayList<>(args.length);
      for (IASTInitializerClause a : args) {
        out.add(clause(a));
      }
      return new Expr.Call(r, m, callee, out);
    }
    if (e instanceof IASTFieldReference fr) {
      return new Expr.Member(
          r, m, expr(fr.getFieldOwner()), fr.getFieldName().toString(), fr.isPointerDereference());
    }
    if (e instanceof IASTArraySubscriptExpression ae) {
      return new Expr.Index(r, m, expr(ae.getArrayExpression()), clause(ae.getArgument()));
    }
    if (e instanceof IASTConditionalExpression ce) {
      // GNU "a ?: b": the then-branch is null (it is the condition's value).
      return new Expr.Conditional(
          r,
          m,
          expr(ce.getLogicalConditionExpression()),
          expr(ce.getPositiveResultExpression()),
          expr(ce.getNegativeResultExpression()));
    }
    if (e instanceof IASTCastExpression ce) {
      return new Expr.Cast(r, m, types.map(ce.getExpressionType()), expr(ce.getOperand()));
    }
    if (e instanceof IASTTypeIdExpression te) {
      CType t = typeOf(te.getTypeId());
      return switch (te.getOperator()) {
        case IASTTypeIdExpression.op_sizeof -> new Expr.SizeofType(r, m, t);
        case IASTTypeIdExpression.op_alignof -> new Expr.AlignofType(r, m, t);
        default -> new Expr.Opaque(r, m, snippet(te));
      };
    }
    if (e instanceof IASTExpressionList el) {
      Expr acc = null;
      for (IASTExpression x : el.getExpressions()) {
        Expr ex = expr(x);
        acc = acc == null ? ex : new Expr.Binary(r, m, ",", acc, ex);
      }
      return acc;
    }
    if (e instanceof ICASTTypeIdInitializerExpression cl) {
      IASTInitializer init = cl.getInitializer();
      Expr.InitList list =
          init instanceof IASTInitializerList il
              ? initList(il)
              : new Expr.InitList(r, m, List.of());
      return new Expr.CompoundLiteral(r, m, typeOf(cl.getTypeId()), list);
    }
    if (e instanceof IGNUASTCompoundStatementExpression se) {
      Stmt body = stmt(se.getCompoundStatement());
      Stmt.Block block =
          body instanceof Stmt.Block b
              ? b
              : new Stmt.Block(r, body == null ? List.of() : List.of(body));
      return new Expr.StmtExpr(r, m, block);
    }
    if (e instanceof IASTProblemHolder) {
      problem(e);
    }
    return new Expr.Opaque(r, m, snippet(e));
  }

  private CType typeOf(IASTTypeId typeId) {
    if (typeId == null) {
      return new CType.Unknown("?");
    }
    if (typeId instanceof IASTProblemHolder) {
      problem(typeId);
      return new CType.Unknown(snippet(typeId));
    }
    records(typeId.getDeclSpecifier());
    IType t = CVisitor.createType(typeId.getAbstractDeclarator());
    return types.map(t);
  }

  private Expr clause(IASTInitializerClause c) {
    if (c == null) {
      return null;
    }
    if (c instanceof IASTExpression e) {
      return expr(e);
    }
    if (c instanceof IASTInitializerList il) {
      return initList(il);
    }
    if (c instanceof ICASTDesignatedInitializer di) {
      return new Expr.InitList(range(di), curMacro, List.of(designated(di)));
    }
    return new Expr.Opaque(range(c), curMacro, snippet(c));
  }

  private Expr initializer(IASTInitializer init) {
    if (init == null) {
      return null;
    }
    if (init instanceof IASTEqualsInitializer eq) {
      return clause(eq.getInitializerClause());
    }
    if (init instanceof IASTInitializerList il) {
      return initList(il);
    }
    return new Expr.Opaque(range(init), null, snippet(init));
  }

  private Expr.InitList initList(IASTInitializerList il) {
    IASTFileLocation fl = il.getFileLocation();
    String saved = curMacro;
    String m = macroOf(il, fl);
    curMacro = m;
    try {
      IASTInitializerClause[] clauses = il.getClauses();
      List<Expr.Designated> items = new ArrayList<>(clauses.length);
      for (IASTInitializerClause c : clauses) {
        if (c instanceof ICASTDesignatedInitializer di) {
          items.add(designated(di));
        } else {
          items.add(new Expr.Designated(List.of(), clause(c)));
        }
      }
      return new Expr.InitList(range(fl), m, items);
    } finally {
      curMacro = saved;
    }
  }

  private Expr.Designated designated(ICASTDesignatedInitializer di) {
    List<String> ds = new ArrayList<>();
    for (ICASTDesignator d : di.getDesignators()) {
      if (d instanceof ICASTFieldDesignator fd) {
        ds.add("." + fd.getName());
      } else if (d instanceof ICASTArrayDesignator ad) {
        ds.add("[" + indexText(ad.getSubscriptExpression()) + "]");
      } else if (d instanceof IGCCASTArrayRangeDesignator rd) {
        ds.add(
            "[" + indexText(rd.getRangeFloor()) + " ... " + indexText(rd.getRangeCeiling()) + "]");
      }
    }
    return new Expr.Designated(List.copyOf(ds), clause(di.getOperand()));
  }

  /** A designator index: its value when it is a plain literal, else its source spelling. */
  private static String indexText(IASTExpression e) {
    if (e instanceof IASTLiteralExpression lit
        && lit.getKind() == IASTLiteralExpression.lk_integer_constant) {
      Literals.IntValue v = Literals.parseInt(new String(lit.getValue()));
      if (v != null) {
        return v.value().toString();
      }
    }
    return e == null ? "" : e.getRawSignature();
  }

  private Expr ident(IASTName name, SrcRange r, String m) {
    String n = name.toString();
    LocalScopes.Local local = scopes.lookup(n);
    if (local != null) {
      return new Expr.Ident(r, m, n, local.kind(), local.type(), null);
    }
    if (!scopes.knows(n)) {
      Expr own = fileIdent(name, n, r, m);
      if (own != null) {
        return own;
      }
    }
    return fromBinding(name.resolveBinding(), n, r, m);
  }

  /** Names called without a declaration so far: CDT enters them into the file scope. */
  private final Set<String> implicitFunctions = new HashSet<>();

  /** An identifier resolved in our file scope (no local declares it), or null to ask CDT. */
  private Expr fileIdent(IASTName name, String n, SrcRange r, String m) {
    if (scopes.suspended()) {
      return null;
    }
    if (declared.undeclared(n)) {
      // CDT binds an undeclared callee to an implicit function and enters the name into the file
      // scope, where later uses of the name find it; other undeclared names stay unresolved.
      boolean callee =
          name.getParent() instanceof IASTIdExpression id
              && id.getPropertyInParent() == IASTFunctionCallExpression.FUNCTION_NAME;
      if (callee) {
        implicitFunctions.add(n);
      }
      return callee || implicitFunctions.contains(n)
          ? new Expr.Ident(r, m, n, IdKind.FUNCTION, null, null)
          : null;
    }
    DeclaredTypes.FileName f = declared.fileName(n);
    if (f == null) {
      return null;
    }
    if (f.enumerator() != null) {
      IBinding b = f.enumerator().resolveBinding();
      return b instanceof IEnumerator ? fromBinding(b, n, r, m) : null;
    }
    return DeclaredTypes.unwrap(f.type()) instanceof CType.Function ft
        ? new Expr.Ident(r, m, n, IdKind.FUNCTION, ft, null)
        : new Expr.Ident(r, m, n, IdKind.GLOBAL, f.type(), null);
  }

  private Expr fromBinding(IBinding b, String n, SrcRange r, String m) {
    if (b == null || b instanceof IProblemBinding) {
      return new Expr.Ident(r, m, n, IdKind.UNRESOLVED, null, null);
    }
    if (b instanceof IEnumerator en) {
      BigInteger value = null;
      IValue v = en.getValue();
      Number num = v == null ? null : v.numberValue();
      if (num != null) {
        value = BigInteger.valueOf(num.longValue());
      }
      return new Expr.Ident(r, m, n, IdKind.ENUMERATOR, types.map(en.getType()), value);
    }
    if (b instanceof IParameter p) {
      return new Expr.Ident(r, m, n, IdKind.PARAM, types.map(p.getType()), null);
    }
    if (b instanceof IFunction f) {
      // An undeclared callee (header-less: most kernel APIs) gets an implicit binding from CDT
      // whose type is made up; report no type rather than a wrong one.
      CType t = isImplicit(f) ? null : types.map(f.getType());
      return new Expr.Ident(r, m, n, IdKind.FUNCTION, t, null);
    }
    if (b instanceof IVariable v) {
      return new Expr.Ident(r, m, n, variableKind(v), types.map(v.getType()), null);
    }
    return new Expr.Ident(r, m, n, IdKind.UNRESOLVED, null, null);
  }

  private static IdKind variableKind(IVariable v) {
    IScope scope = null;
    try {
      scope = v.getScope();
    } catch (DOMException ignored) {
      // treated as global below
    }
    return scope == null || scope.getKind() == EScopeKind.eGlobal ? IdKind.GLOBAL : IdKind.LOCAL;
  }

  private static boolean isImplicit(IFunction f) {
    if (!(f instanceof ICInternalBinding ib) || ib.getDefinition() != null) {
      return false;
    }
    IASTNode[] decls = ib.getDeclarations();
    if (decls == null) {
      return true;
    }
    for (IASTNode d : decls) {
      if (d != null) {
        return false;
      }
    }
    return true;
  }

  private Expr literal(IASTLiteralExpression lit, SrcRange r, String m) {
    String text = new String(lit.getValue());
    switch (lit.getKind()) {
      case IASTLiteralExpression.lk_integer_constant -> {
        Literals.IntValue v = Literals.parseInt(text);
        if (v != null) {
          return new Expr.IntLit(r, m, v.value(), v.unsigned(), v.longness());
        }
        return new Expr.Opaque(r, m, text);
      }
      case IASTLiteralExpression.lk_char_constant -> {
        BigInteger v = Literals.parseChar(text);
        return v != null ? new Expr.CharLit(r, m, v) : new Expr.Opaque(r, m, text);
      }
      case IASTLiteralExpression.lk_float_constant -> {
        return new Expr.FloatLit(r, m, text);
      }
      case IASTLiteralExpression.lk_string_literal -> {
        return new Expr.StringLit(r, m, text);
      }
      case IASTLiteralExpression.lk_true -> {
        return new Expr.IntLit(r, m, BigInteger.ONE, false, 0);
      }
      case IASTLiteralExpression.lk_false -> {
        return new Expr.IntLit(r, m, BigInteger.ZERO, false, 0);
      }
      default -> {
        return new Expr.Opaque(r, m, text);
      }
    }
  }

  private Expr unary(IASTUnaryExpression ue, SrcRange r, String m) {
    int op = ue.getOperator();
    if (op == IASTUnaryExpression.op_bracketedPrimary) {
      return expr(ue.getOperand());
    }
    if (op == IASTUnaryExpression.op_sizeof) {
      return new Expr.SizeofExpr(r, m, expr(ue.getOperand()));
    }
    String s =
        switch (op) {
          case IASTUnaryExpression.op_prefixIncr -> "++pre";
          case IASTUnaryExpression.op_prefixDecr -> "--pre";
          case IASTUnaryExpression.op_postFixIncr -> "post++";
          case IASTUnaryExpression.op_postFixDecr -> "post--";
          case IASTUnaryExpression.op_plus -> "+";
          case IASTUnaryExpression.op_minus -> "-";
          case IASTUnaryExpression.op_star -> "*";
          case IASTUnaryExpression.op_amper -> "&";
          case IASTUnaryExpression.op_tilde -> "~";
          case IASTUnaryExpression.op_not -> "!";
          default -> null;
        };
    if (s == null) {
      return new Expr.Opaque(r, m, snippet(ue));
    }
    return new Expr.Unary(r, m, s, expr(ue.getOperand()));
  }

  private static String binaryOp(int op) {
    return switch (op) {
      case IASTBinaryExpression.op_multiply -> "*";
      case IASTBinaryExpression.op_divide -> "/";
      case IASTBinaryExpression.op_modulo -> "%";
      case IASTBinaryExpression.op_plus -> "+";
      case IASTBinaryExpression.op_minus -> "-";
      case IASTBinaryExpression.op_shiftLeft -> "<<";
      case IASTBinaryExpression.op_shiftRight -> ">>";
      case IASTBinaryExpression.op_lessThan -> "<";
      case IASTBinaryExpression.op_greaterThan -> ">";
      case IASTBinaryExpression.op_lessEqual -> "<=";
      case IASTBinaryExpression.op_greaterEqual -> ">=";
      case IASTBinaryExpression.op_binaryAnd -> "&";
      case IASTBinaryExpression.op_binaryXor -> "^";
      case IASTBinaryExpression.op_binaryOr -> "|";
      case IASTBinaryExpression.op_logicalAnd -> "&&";
      case IASTBinaryExpression.op_logicalOr -> "||";
      case IASTBinaryExpression.op_assign -> "=";
      case IASTBinaryExpression.op_multiplyAssign -> "*=";
      case IASTBinaryExpression.op_divideAssign -> "/=";
      case IASTBinaryExpression.op_moduloAssign -> "%=";
      case IASTBinaryExpression.op_plusAssign -> "+=";
      case IASTBinaryExpression.op_minusAssign -> "-=";
      case IASTBinaryExpression.op_shiftLeftAssign -> "<<=";
      case IASTBinaryExpression.op_shiftRightAssign -> ">>=";
      case IASTBinaryExpression.op_binaryAndAssign -> "&=";
      case IASTBinaryExpression.op_binaryXorAssign -> "^=";
      case IASTBinaryExpression.op_binaryOrAssign -> "|=";
      case IASTBinaryExpression.op_equals -> "==";
      case IASTBinaryExpression.op_notequals -> "!=";
      case IASTBinaryExpression.op_ellipses -> "...";
      default -> null;
    };
  }
}
