package dev.kmodcheck.frontend;

import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.SrcRange;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.cdt.core.dom.ast.ASTTypeUtil;
import org.eclipse.cdt.core.dom.ast.DOMException;
import org.eclipse.cdt.core.dom.ast.IASTExpression;
import org.eclipse.cdt.core.dom.ast.IASTName;
import org.eclipse.cdt.core.dom.ast.IASTNode;
import org.eclipse.cdt.core.dom.ast.IArrayType;
import org.eclipse.cdt.core.dom.ast.IBasicType;
import org.eclipse.cdt.core.dom.ast.IBinding;
import org.eclipse.cdt.core.dom.ast.ICompositeType;
import org.eclipse.cdt.core.dom.ast.IEnumeration;
import org.eclipse.cdt.core.dom.ast.IFunctionType;
import org.eclipse.cdt.core.dom.ast.IPointerType;
import org.eclipse.cdt.core.dom.ast.IQualifierType;
import org.eclipse.cdt.core.dom.ast.IType;
import org.eclipse.cdt.core.dom.ast.ITypedef;
import org.eclipse.cdt.core.dom.ast.IValue;
import org.eclipse.cdt.internal.core.dom.parser.c.ICInternalBinding;

/**
 * Maps CDT types to {@link CType}, cached per translation unit. Typedefs (including the shim's u32,
 * size_t, gfp_t ...) come out as {@link CType.Typedef} with the resolved type, so layout code sizes
 * them through {@code resolved}; qualifiers are dropped. Anonymous structs, unions and enums get a
 * synthetic tag naming their definition's position, so that {@code typedef struct { ... } foo_t;}
 * still leads to a {@code StructDef}.
 */
final class TypeMapper {

  private final Map<IType, CType> cache = new IdentityHashMap<>(1024);
  private final Map<IBinding, String> anonTags = new IdentityHashMap<>();
  private final Set<String> usedAnonTags = new HashSet<>();
  private final Function<IASTExpression, Expr> lengthTranslator;
  private final Function<IASTNode, String> positionOf;

  /**
   * @param lengthTranslator translates an array length expression (outside any macro context)
   * @param positionOf "file:line:col" of a node, for synthetic tags
   */
  TypeMapper(
      Function<IASTExpression, Expr> lengthTranslator, Function<IASTNode, String> positionOf) {
    this.lengthTranslator = lengthTranslator;
    this.positionOf = positionOf;
  }

  CType map(IType t) {
    if (t == null) {
      return new CType.Unknown("?");
    }
    CType c = cache.get(t);
    if (c == null) {
      c = compute(t);
      cache.put(t, c);
    }
    return c;
  }

  private CType compute(IType t) {
    if (t instanceof ITypedef td) {
      return new CType.Typedef(td.getName(), map(td.getType()));
    }
    if (t instanceof IQualifierType q) {
      return map(q.getType());
    }
    if (t instanceof IPointerType p) {
      return new CType.Pointer(map(p.getType()));
    }
    if (t instanceof IArrayType a) {
      return new CType.Array(map(a.getType()), arrayLength(a));
    }
    if (t instanceof IBasicType b) {
      return new CType.Scalar(basicName(b));
    }
    if (t instanceof ICompositeType ct) {
      boolean union = ct.getKey() == ICompositeType.k_union;
      return new CType.Record(union, tagOf(ct, union ? "union" : "struct"));
    }
    if (t instanceof IEnumeration en) {
      return new CType.Enum(tagOf(en, "enum"));
    }
    if (t instanceof IFunctionType f) {
      List<CType> params = new ArrayList<>();
      for (IType p : f.getParameterTypes()) {
        params.add(map(p));
      }
      if (params.size() == 1
          && params.get(0) instanceof CType.Scalar s
          && s.name().equals("void")) {
        params.clear();
      }
      return new CType.Function(map(f.getReturnType()), List.copyOf(params), f.takesVarArgs());
    }
    return new CType.Unknown(ASTTypeUtil.getType(t));
  }

  private Expr arrayLength(IArrayType a) {
    IASTExpression e;
    try {
      e = a.getArraySizeExpression();
    } catch (DOMException ex) {
      e = null;
    }
    if (e != null) {
      return lengthTranslator.apply(e);
    }
    IValue v = a.getSize();
    Number n = v == null ? null : v.numberValue();
    if (n == null) {
      return null;
    }
    return new Expr.IntLit(SrcRange.UNKNOWN, null, BigInteger.valueOf(n.longValue()), false, 0);
  }

  /** The tag of a struct/union/enum, synthesized for anonymous ones. */
  String tagOf(IBinding b, String kind) {
    String name = b.getName();
    if (name != null && !name.isEmpty()) {
      return name;
    }
    return anonTags.computeIfAbsent(b, k -> uniqueAnonTag(k, kind));
  }

  private String uniqueAnonTag(IBinding b, String kind) {
    IASTNode node = b instanceof ICInternalBinding ib ? ib.getPhysicalNode() : null;
    if (node instanceof IASTName && node.getParent() != null) {
      // The empty name of an anonymous definition has no position; its specifier has.
      node = node.getParent();
    }
    String where = node == null ? null : positionOf.apply(node);
    String base = "(anonymous " + kind + (where == null ? "" : " at " + where) + ")";
    String tag = base;
    for (int i = 2; !usedAnonTags.add(tag); i++) {
      tag = base + "#" + i;
    }
    return tag;
  }

  static String basicName(IBasicType b) {
    String base =
        switch (b.getKind()) {
          case eVoid -> "void";
          case eBoolean -> "_Bool";
          case eChar -> b.isUnsigned() ? "unsigned char" : b.isSigned() ? "signed char" : "char";
          case eInt, eUnspecified -> {
            String w =
                b.isShort() ? "short" : b.isLongLong() ? "long long" : b.isLong() ? "long" : "int";
            yield b.isUnsigned() ? "unsigned " + w : w;
          }
          case eInt128 -> b.isUnsigned() ? "unsigned __int128" : "__int128";
          case eFloat -> "float";
          case eDouble -> b.isLong() ? "long double" : "double";
          case eFloat128 -> "__float128";
          case eWChar -> "wchar_t";
          case eChar16 -> "char16_t";
          case eChar32 -> "char32_t";
          default -> b.getKind().name();
        };
    return b.isComplex() ? "_Complex " + base : base;
  }
}
