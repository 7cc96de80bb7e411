package dev.invoka.node.function;

import dev.invoka.node.CborSerializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a function is, folded from its {@link FunctionEvent.Management} events: its configuration (null
 * while the function does not exist), its reserved concurrency (null when unset) and its event invoke
 * configs by qualifier. Immutable; the same fold serves the entity and the function index.
 */
public record FunctionState(FunctionConfig config, Integer reservedConcurrency,
                            Map<String, EventInvokeConfig> invokeConfigs) implements CborSerializable {

    public static final FunctionState EMPTY = new FunctionState(null, null, Map.of());

    public FunctionState {
        invokeConfigs = invokeConfigs == null ? Map.of() : invokeConfigs;
    }

    public boolean exists() {
        return config != null;
    }

    public EventInvokeConfig invokeConfig(String qualifier) {
        return invokeConfigs.get(qualifier);
    }

    public FunctionState apply(FunctionEvent.Management event) {
        if (event instanceof FunctionEvent.FunctionCreated e) return new FunctionState(e.config(), null, Map.of());
        if (event instanceof FunctionEvent.ConfigurationUpdated e) {
            return new FunctionState(e.config(), reservedConcurrency, invokeConfigs);
        }
        if (event instanceof FunctionEvent.FunctionDeleted) return EMPTY;
        if (event instanceof FunctionEvent.ConcurrencyPut e) {
            return new FunctionState(config, e.reservedConcurrentExecutions(), invokeConfigs);
        }
        if (event instanceof FunctionEvent.ConcurrencyDeleted) return new FunctionState(config, null, invokeConfigs);
        if (event instanceof FunctionEvent.EventInvokeConfigPut e) {
            TreeMap<String, EventInvokeConfig> configs = new TreeMap<>(invokeConfigs);
            configs.put(e.config().qualifier(), e.config());
            return new FunctionState(config, reservedConcurrency, Collections.unmodifiableMap(configs));
        }
        if (event instanceof FunctionEvent.EventInvokeConfigDeleted e) {
            TreeMap<String, EventInvokeConfig> configs = new TreeMap<>(invokeConfigs);
            configs.remove(e.qualifier());
            return new FunctionState(config, reservedConcurrency, Collections.unmodifiableMap(configs));
        }
        throw new IllegalArgumentException("unknown event " + event);
    }
}
