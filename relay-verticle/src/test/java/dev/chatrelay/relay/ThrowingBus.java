package dev.chatrelay.relay;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.BiPredicate;

/**
 * A Vert.x whose event bus throws "Promise already completed" from the calls {@code throwsFor}
 * picks (method, arguments), as Vert.x 5.0.7 does towards a node whose connection just reset.
 */
final class ThrowingBus {

  private ThrowingBus() {}

  static Vertx around(Vertx vertx, BiPredicate<Method, Object[]> throwsFor) {
    EventBus real = vertx.eventBus();
    EventBus failing = (EventBus) Proxy.newProxyInstance(ThrowingBus.class.getClassLoader(),
        new Class<?>[] {EventBus.class}, (proxy, method, args) -> {
          if (throwsFor.test(method, args)) {
            throw new IllegalStateException("Promise already completed (test)");
          }
          return forward(real, method, args);
        });
    return (Vertx) Proxy.newProxyInstance(ThrowingBus.class.getClassLoader(),
        new Class<?>[] {Vertx.class}, (proxy, method, args) ->
            method.getName().equals("eventBus") ? failing : forward(vertx, method, args));
  }

  private static Object forward(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
