package dev.kmodcheck.frontend;

import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.cdt.core.dom.ast.IASTArrayDeclarator;
import org.eclipse.cdt.core.dom.ast.IASTArrayModifier;
import org.eclipse.cdt.core.dom.ast.IASTAttribute;
import org.eclipse.cdt.core.dom.ast.IASTCompositeTypeSpecifier;
import org.eclipse.cdt.core.dom.ast.IASTDeclSpecifier;
import org.eclipse.cdt.core.dom.ast.IASTDeclaration;
import org.eclipse.cdt.core.dom.ast.IASTDeclarator;
import org.eclipse.cdt.core.dom.ast.IASTElaboratedTypeSpecifier;
import org.eclipse.cdt.core.dom.ast.IASTEnumerationSpecifier;
import org.eclipse.cdt.core.dom.ast.IASTExpression;
import org.eclipse.cdt.core.dom.ast.IASTFunctionDeclarator;
import org.eclipse.cdt.core.dom.ast.IASTFunctionDefinition;
import org.eclipse.cdt.core.dom.ast.IASTName;
import org.eclipse.cdt.core.dom.ast.IASTNamedTypeSpecifier;
import org.eclipse.cdt.core.dom.ast.IASTParameterDeclaration;
import org.eclipse.cdt.core.dom.ast.IASTPointerOperator;
import org.eclipse.cdt.core.dom.ast.IASTSimpleDeclaration;
import org.eclipse.cdt.core.dom.ast.IASTStandardFunctionDeclarator;
import org.eclipse.cdt.core.dom.ast.IBinding;
import org.eclipse.cdt.core.dom.ast.IProblemBinding;
import org.eclipse.cdt.core.dom.ast.IType;
import org.eclipse.cdt.core.dom.ast.ITypedef;
import org.eclipse.cdt.core.dom.ast.c.ICASTSimpleDeclSpecifier;
import org.eclipse.cdt.core.dom.ast.gnu.c.ICASTKnRFunctionDeclarator;
import org.eclipse.cdt.internal.core.dom.parser.c.CBasicType;

/**
 * The types of declarations computed from the AST with our own C scopes, so that the translator
 * needs no CDT binding (whose creation looks every typedef name up through CDT's scopes, twice) for
 * them. It answers only where its answer is the one CDT would give, and null elsewhere, so that the
 * caller falls back to CDT:
 *
 * <ul>
 *   <li>a typedef name resolves to the first file-scope declaration of that name when it is a
 *       typedef declared in an earlier top-level declaration and no declaration of the name was
 *       seen in the enclosing function or prototype (CDT's lookup takes the first declaration
 *       declared before the use in the innermost scope that has one);
 *   <li>functions and variables declared once at file scope (redeclarations merge in CDT's binding
 *       and take the first declaration's type);
 *   <li>no {@code typeof}, {@code mode} attribute, K&amp;R declarator nor array parameter;
 *   <li>struct, union and enum tags are still resolved by CDT (see {@link #baseType}).
 * </ul>
 *
 * <p>The resulting types equal those {@link TypeMapper} makes of CDT's: IrDigest proves a tree's IR
 * unchanged.
 */
final class DeclaredTypes {

  /** A file-scope declaration of an ordinary identifier: its top-level index and name. */
  private record FileDecl(int index, IASTName name, boolean typedef) {}

  private final TypeMapper types;
  private final Function<IASTExpression, Expr> lengthExpr;
  private final Map<String, FileDecl> fileFirst = new HashMap<>();
  private final Map<String, Integer> fileCount = new HashMap<>();
  private final Map<String, FileDecl> fileOnly = new HashMap<>();
  private final boolean enabled;
  private final Map<IASTName, CType> typedefTypes = new IdentityHashMap<>();

  /** Ordinary identifiers declared in the current function body or prototype so far. */
  private Set<String> local = new HashSet<>();

  /** Index of the top-level declaration being translated. */
  private int current = -1;

  /**
   * @param enabled false: every question answers null (CDT resolves everything)
   */
  DeclaredTypes(
      IASTDeclaration[] topLevel,
      TypeMapper types,
      Function<IASTExpression, Expr> len,
      boolean enabled) {
    this.types = types;
    this.lengthExpr = len;
    this.enabled = enabled;
    // Every ordinary identifier CDT's file scope holds, as its collectNames gathers them.
    for (int i = 0; i < topLevel.length; i++) {
      int index = i;
      Consumer<IASTName> count =
          n -> {
            String s = n.toString();
            if (fileCount.merge(s, 1, Integer::sum) == 1) {
              fileOnly.put(s, new FileDecl(index, n, false));
            } else {
              fileOnly.remove(s);
            }
          };
      if (topLevel[i] instanceof IASTSimpleDeclaration sd) {
        for (IASTDeclarator dr : sd.getDeclarators()) {
          count.accept(innermost(dr).getName());
          // A prototype's parameters can become file-scope candidates in CDT (a header-less
          // macro call read as "F(x);" made x an invalid redeclaration of a later global x):
          // counting them only leaves more names to CDT.
          for (IASTDeclarator x = dr; x != null; x = x.getNestedDeclarator()) {
            if (x instanceof ICASTKnRFunctionDeclarator knr) {
              for (IASTName p : knr.getParameterNames()) {
                count.accept(p);
              }
            } else if (x instanceof IASTStandardFunctionDeclarator sfd) {
              for (IASTParameterDeclaration p : sfd.getParameters()) {
                IASTName pn = innermost(p.getDeclarator()).getName();
                if (!pn.toString().isEmpty()) {
                  count.accept(pn);
                }
                if (p.getDeclSpecifier() instanceof IASTNamedTypeSpecifier ns) {
                  count.accept(ns.getName());
                }
              }
            }
          }
        }
        enumeratorNames(sd.getDeclSpecifier(), count);
      } else if (topLevel[i] instanceof IASTFunctionDefinition fd) {
        count.accept(innermost(fd.getDeclarator()).getName());
        enumeratorNames(fd.getDeclSpecifier(), count);
      }
    }
  }

  // ---------------------------------------------------------------- scopes

  /** Called before translating top-level declaration {@code index}. */
  void enterTopLevel(int index) {
    current = index;
    local.clear();
  }

  /** Records the ordinary identifiers a top-level declaration declares, after translating it. */
  void declareTopLevel(IASTDeclaration d) {
    if (d instanceof IASTSimpleDeclaration sd) {
      declareEnumerators(sd.getDeclSpecifier(), true);
      boolean typedef = sd.getDeclSpecifier().getStorageClass() == IASTDeclSpecifier.sc_typedef;
      for (IASTDeclarator dr : sd.getDeclarators()) {
        IASTName n = innermost(dr).getName();
        fileFirst.putIfAbsent(n.toString(), new FileDecl(current, n, typedef));
      }
    } else if (d instanceof IASTFunctionDefinition fd) {
      declareEnumerators(fd.getDeclSpecifier(), true);
      IASTName n = innermost(fd.getDeclarator()).getName();
      fileFirst.putIfAbsent(n.toString(), new FileDecl(current, n, false));
    }
  }

  /** Records a block-scope declaration or a parameter of the function being translated. */
  void declareLocal(IASTDeclSpecifier spec, IASTDeclarator[] declarators) {
    declareEnumerators(spec, false);
    for (IASTDeclarator dr : declarators) {
      local.add(innermost(dr).getName().toString());
    }
  }

  void declareLocalName(String name) {
    local.add(name);
  }

  /** Enumerators are ordinary identifiers of the enclosing scope (an over-approximation). */
  private void declareEnumerators(IASTDeclSpecifier spec, boolean file) {
    enumerators(
        spec,
        n -> {
          if (file) {
            fileFirst.putIfAbsent(n, new FileDecl(current, null, false));
          } else {
            local.add(n);
          }
        });
  }

  /** The enumerators a declaration specifier defines, also in its members' specifiers. */
  static void enumerators(IASTDeclSpecifier spec, Consumer<String> out) {
    enumeratorNames(spec, n -> out.accept(n.toString()));
  }

  private static void enumeratorNames(IASTDeclSpecifier spec, Consumer<IASTName> out) {
    if (spec instanceof IASTEnumerationSpecifier en) {
      for (IASTEnumerationSpecifier.IASTEnumerator e : en.getEnumerators()) {
        out.accept(e.getName());
      }
    } else if (spec instanceof IASTCompositeTypeSpecifier cs) {
      for (IASTDeclaration m : cs.getMembers()) {
        if (m instanceof IASTSimpleDeclaration ms) {
          enumeratorNames(ms.getDeclSpecifier(), out);
        }
      }
    }
  }

  /** Whether no declaration at file scope names {@code name}. */
  boolean undeclared(String name) {
    return enabled && !fileCount.containsKey(name);
  }

  /**
   * What an identifier used in top-level declaration {@link #current} names when the file scope
   * declares it exactly once and CDT's lookup would take that declaration: an enumerator or a
   * variable declared in an earlier top-level declaration, or a function declarator anywhere (C
   * lookup in CDT accepts functions declared later). Null when CDT has to answer.
   */
  FileName fileName(String name) {
    FileDecl d = enabled ? fileOnly.get(name) : null;
    if (d == null) {
      return null;
    }
    IASTName n = d.name;
    if (n.getParent() instanceof IASTEnumerationSpecifier.IASTEnumerator) {
      return d.index < current ? new FileName(n, null) : null;
    }
    if (!(n.getParent() instanceof IASTDeclarator dr)) {
      return null;
    }
    IASTDeclarator outer = outermostOf(dr);
    boolean functionDeclarator = n.getParent() instanceof IASTFunctionDeclarator;
    if (!functionDeclarator && d.index >= current) {
      return null;
    }
    IASTDeclSpecifier spec;
    if (outer.getParent() instanceof IASTSimpleDeclaration sd) {
      spec = sd.getDeclSpecifier();
    } else if (outer.getParent() instanceof IASTFunctionDefinition fd) {
      spec = fd.getDeclSpecifier();
    } else {
      return null;
    }
    if (spec.getStorageClass() == IASTDeclSpecifier.sc_typedef) {
      return null;
    }
    CType t =
        fileTypes
            .computeIfAbsent(n, k -> Optional.ofNullable(typeAt(d.index, spec, outer)))
            .orElse(null);
    return t == null ? null : new FileName(null, t);
  }

  /** An enumerator's declaring name, or the type of a variable or function. */
  record FileName(IASTName enumerator, CType type) {}

  private final Map<IASTName, Optional<CType>> fileTypes = new IdentityHashMap<>();

  /** A declaration's type with its names looked up from top-level declaration {@code index}. */
  private CType typeAt(int index, IASTDeclSpecifier spec, IASTDeclarator dr) {
    int savedCurrent = current;
    Set<String> savedLocal = local;
    current = index;
    local = new HashSet<>();
    try {
      return typeOf(spec, dr, false);
    } finally {
      current = savedCurrent;
      local = savedLocal;
    }
  }

  /** Whether {@code name} is declared exactly once at file scope. */
  boolean declaredOnce(IASTName name) {
    Integer c = fileCount.get(name.toString());
    return c != null && c == 1;
  }

  // ---------------------------------------------------------------- types

  /**
   * The type of {@code dr} declared with {@code spec}, as CDT's {@code createType} builds it
   * (parameters adjusted), or null when only CDT can tell.
   */
  CType typeOf(IASTDeclSpecifier spec, IASTDeclarator dr, boolean param) {
    if (!enabled) {
      return null;
    }
    CType base = baseType(spec);
    if (base == null) {
      return null;
    }
    CType t = derive(base, dr, param);
    if (t == null || !param) {
      return t;
    }
    CType u = unwrap(t);
    if (u instanceof CType.Array) {
      return null; // arrays only appear here through a typedef; keep to CDT
    }
    return u instanceof CType.Function ? new CType.Pointer(u) : t;
  }

  static CType unwrap(CType t) {
    while (t instanceof CType.Typedef td) {
      t = td.resolved();
    }
    return t;
  }

  private CType derive(CType base, IASTDeclarator dr, boolean param) {
    if (dr instanceof IASTFunctionDeclarator fd) {
      if (!(fd instanceof IASTStandardFunctionDeclarator sfd)) {
        return null;
      }
      List<CType> params = parameters(sfd);
      if (params == null) {
        return null;
      }
      CType ret = pointers(fd.getPointerOperators(), base);
      CType t = new CType.Function(ret, params, sfd.takesVarArgs());
      IASTDeclarator nested = fd.getNestedDeclarator();
      return nested == null ? t : derive(t, nested, param);
    }
    for (IASTAttribute a : dr.getAttributes()) {
      String n = new String(a.getName());
      if (n.equals("mode") || n.equals("__mode__")) {
        return null;
      }
    }
    CType t = pointers(dr.getPointerOperators(), base);
    if (dr instanceof IASTArrayDeclarator ad) {
      if (param) {
        return null;
      }
      IASTArrayModifier[] mods = ad.getArrayModifiers();
      for (int i = mods.length - 1; i >= 0; i--) {
        IASTExpression len = mods[i].getConstantExpression();
        t = new CType.Array(t, len == null ? null : lengthExpr.apply(len));
      }
    }
    IASTDeclarator nested = dr.getNestedDeclarator();
    return nested == null ? t : derive(t, nested, param);
  }

  private static CType pointers(IASTPointerOperator[] ops, CType t) {
    for (int i = 0; i < ops.length; i++) {
      t = new CType.Pointer(t);
    }
    return t;
  }

  /** Parameter types of a prototype, each looked up with the earlier parameters in scope. */
  private List<CType> parameters(IASTStandardFunctionDeclarator fd) {
    IASTParameterDeclaration[] ps = fd.getParameters();
    List<CType> out = new ArrayList<>(ps.length);
    List<String> added = new ArrayList<>();
    try {
      for (IASTParameterDeclaration p : ps) {
        CType t = typeOf(p.getDeclSpecifier(), p.getDeclarator(), true);
        if (t == null) {
          return null;
        }
        out.add(t);
        String n = innermost(p.getDeclarator()).getName().toString();
        if (!n.isEmpty() && local.add(n)) {
          added.add(n);
        }
      }
    } finally {
      local.removeAll(added);
    }
    if (out.size() == 1
        && unwrap(out.get(0)) instanceof CType.Scalar s
        && s.name().equals("void")) {
      out.clear();
    }
    return out;
  }

  private CType baseType(IASTDeclSpecifier spec) {
    if (spec instanceof ICASTSimpleDeclSpecifier sds) {
      if (sds.getDeclTypeExpression() != null) {
        return null;
      }
      return new CType.Scalar(TypeMapper.basicName(new CBasicType(sds)));
    }
    if (spec instanceof IASTNamedTypeSpecifier ns) {
      return typedefNamed(ns.getName().toString());
    }
    IASTName tag =
        spec instanceof IASTElaboratedTypeSpecifier es
            ? es.getName()
            : spec instanceof IASTCompositeTypeSpecifier cs
                ? cs.getName()
                : spec instanceof IASTEnumerationSpecifier en ? en.getName() : null;
    if (tag == null) {
      return null;
    }
    // Tags stay with CDT: resolving an elaborated name in a declaration enters the tag into the
    // file scope, which later lookups (parameters, casts) see; the same resolutions in the same
    // order keep those answers.
    IBinding b = tag.resolveBinding();
    return b instanceof IType t && !(b instanceof IProblemBinding) ? types.map(t) : null;
  }

  private CType typedefNamed(String n) {
    if (local.contains(n)) {
      return null;
    }
    FileDecl d = fileFirst.get(n);
    if (d == null || !d.typedef || d.index >= current) {
      return null;
    }
    IASTName tn = d.name;
    CType t = typedefTypes.get(tn);
    if (t == null) {
      t = typedefType(tn, d.index);
      typedefTypes.put(tn, t);
    }
    return t;
  }

  /** A file-scope typedef's type, built where it is declared (lookups from there). */
  private CType typedefType(IASTName tn, int index) {
    IASTDeclarator dr = outermost(tn);
    CType resolved =
        dr.getParent() instanceof IASTSimpleDeclaration sd
            ? typeAt(index, sd.getDeclSpecifier(), dr)
            : null;
    if (resolved != null) {
      return new CType.Typedef(tn.toString(), resolved);
    }
    IBinding b = tn.resolveBinding();
    return b instanceof ITypedef td ? types.map(td) : null;
  }

  private static IASTDeclarator outermost(IASTName n) {
    return outermostOf((IASTDeclarator) n.getParent());
  }

  private static IASTDeclarator outermostOf(IASTDeclarator d) {
    while (d.getParent() instanceof IASTDeclarator p) {
      d = p;
    }
    return d;
  }

  static IASTDeclarator innermost(IASTDeclarator d) {
    while (d.getNestedDeclarator() != null) {
      d = d.getNestedDeclarator();
    }
    return d;
  }
}
