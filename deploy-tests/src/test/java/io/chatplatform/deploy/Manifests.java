package io.chatplatform.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** The objects of one render, looked up by kind and by the chart's component names. */
record Manifests(List<HasMetadata> objects) {

    static final String FULLNAME = HelmChart.RELEASE + "-chat-platform";

    static String name(String component) {
        return FULLNAME + "-" + component;
    }

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> kind, String name) {
        return all(kind).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    <T extends HasMetadata> T get(Class<T> kind, String name) {
        return find(kind, name).orElseGet(() -> fail("no " + kind.getSimpleName() + " " + name + " among "
                + objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList()));
    }

    Deployment deployment(String component) {
        return get(Deployment.class, name(component));
    }

    Service service(String component) {
        return get(Service.class, name(component));
    }

    Optional<HorizontalPodAutoscaler> hpa(String component) {
        return find(HorizontalPodAutoscaler.class, name(component));
    }

    Optional<PodDisruptionBudget> pdb(String component) {
        return find(PodDisruptionBudget.class, name(component));
    }

    /** The main Ingress (REST, WebSocket, web client); /media has one of its own ({@link #mediaIngress}). */
    Ingress ingress() {
        List<Ingress> all = all(Ingress.class);
        assertEquals(2, all.size(), "the main Ingress and the media one");
        return get(Ingress.class, FULLNAME);
    }

    Ingress mediaIngress() {
        return get(Ingress.class, FULLNAME + "-media");
    }

    static Container container(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertEquals(1, containers.size(), deployment.getMetadata().getName() + ": one container");
        return containers.get(0);
    }

    /** The port number a probe or Service target names (by name or number) on the container. */
    static int containerPort(Container container, IntOrString port) {
        assertNotNull(port, "port");
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
                .orElseGet(() -> fail("no container port named " + port.getStrVal())).getContainerPort();
    }

    /**
     * The value the container will see for an env var: plain, or resolved from the rendered ConfigMap/Secret.
     * Empty when it comes from an object this render does not contain (an existing Secret) or an optional key
     * that is absent.
     */
    Optional<String> envValue(Container container, String name) {
        EnvVar env = container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseGet(() -> fail(container.getName() + " has no env " + name));
        if (env.getValueFrom() == null) {
            return Optional.ofNullable(env.getValue());
        }
        var cm = env.getValueFrom().getConfigMapKeyRef();
        if (cm != null) {
            return find(ConfigMap.class, cm.getName()).map(c -> c.getData().get(cm.getKey()));
        }
        var sk = env.getValueFrom().getSecretKeyRef();
        if (sk != null) {
            return find(Secret.class, sk.getName()).map(s -> s.getData().get(sk.getKey()))
                    .map(b64 -> new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8));
        }
        return fail(name + ": unexpected valueFrom " + env.getValueFrom());
    }
}
