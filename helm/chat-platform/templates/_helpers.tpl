{{/*
Names. fullname is the release name, or <release>-<chart> when the release name does not contain the chart
name; every object is <fullname>-<component>.
*/}}
{{- define "chat-platform.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "chat-platform.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "chat-platform.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The static facts of the three services: the Maven module (= image name), its HTTP port. */}}
{{- define "chat-platform.components" -}}
auth:
  service: auth-service
  port: 8081
chat:
  service: chat-service
  port: 8082
history:
  service: history-service
  port: 8083
{{- end }}

{{/* <fullname>-<component>, e.g. chat-platform-auth; 50 characters leave room for generated suffixes. */}}
{{- define "chat-platform.componentName" -}}
{{- printf "%s-%s" (include "chat-platform.fullname" .root | trunc 50 | trimSuffix "-") .component }}
{{- end }}

{{- define "chat-platform.labels" -}}
helm.sh/chart: {{ include "chat-platform.chart" . }}
app.kubernetes.io/name: {{ include "chat-platform.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: chat-platform
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels of one component: root and component. */}}
{{- define "chat-platform.selectorLabels" -}}
app.kubernetes.io/name: {{ include "chat-platform.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "chat-platform.componentLabels" -}}
{{ include "chat-platform.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "chat-platform.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "chat-platform.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret with store credentials and the admin account. */}}
{{- define "chat-platform.secretName" -}}
{{- default (printf "%s-secrets" (include "chat-platform.fullname" .)) .Values.secrets.existingSecret }}
{{- end }}

{{/* The Secret with private.pem and public.pem. */}}
{{- define "chat-platform.jwtSecretName" -}}
{{- default (printf "%s-jwt" (include "chat-platform.fullname" .)) .Values.jwt.existingSecret }}
{{- end }}

{{- define "chat-platform.configMapName" -}}
{{- printf "%s-config" (include "chat-platform.fullname" .) }}
{{- end }}

{{/* Image of one component: root, component. */}}
{{- define "chat-platform.image" -}}
{{- $values := index .root.Values .component }}
{{- $facts := index (include "chat-platform.components" .root | fromYaml) .component }}
{{- $repository := $values.image.repository | default (printf "%s/%s" (required "image.repository is required" .root.Values.image.repository) $facts.service) }}
{{- $tag := $values.image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion }}
{{- printf "%s:%s" $repository $tag }}
{{- end }}

{{/* URL of auth-service's JWKS inside the cluster (MP_JWT_VERIFY_PUBLICKEY_LOCATION of chat and history). */}}
{{- define "chat-platform.jwksUrl" -}}
{{- printf "http://%s:8081/.well-known/jwks.json" (include "chat-platform.componentName" (dict "root" . "component" "auth")) }}
{{- end }}

{{/* A checksum of everything the pods read from the ConfigMap and Secrets: a change rolls the pods. */}}
{{- define "chat-platform.configChecksum" -}}
{{- $v := .Values }}
{{- dict "jwt" $v.jwt "admin" $v.admin "secrets" $v.secrets "redis" $v.redis "mysql" $v.mysql "mongodb" $v.mongodb "logPartitions" $v.logPartitions "auth" $v.auth.trustedProxies "chat" $v.chat.allowedOrigins "cors" $v.corsOrigins | toJson | sha256sum }}
{{- end }}

{{/*
Cross-field checks that values.schema.json cannot express. Included by configmap.yaml (always rendered), so a
bad combination fails `helm install` / `helm template` with a message saying what to change.
*/}}
{{- define "chat-platform.validate" -}}
{{- $v := .Values }}
{{- if and (not $v.jwt.existingSecret) (or $v.jwt.privateKey $v.jwt.publicKey) (not (and $v.jwt.privateKey $v.jwt.publicKey)) }}
{{- fail "jwt.privateKey and jwt.publicKey go together: give both PEMs, or neither (then jwt.existingSecret or a Secret <fullname>-jwt)" }}
{{- end }}
{{- if and $v.jwt.privateKey (not (contains "BEGIN PRIVATE KEY" $v.jwt.privateKey)) }}
{{- fail "jwt.privateKey must be a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----); convert with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out private.pem" }}
{{- end }}
{{- if and $v.jwt.publicKey (not (contains "BEGIN PUBLIC KEY" $v.jwt.publicKey)) }}
{{- fail "jwt.publicKey must be an X.509 SubjectPublicKeyInfo PEM (-----BEGIN PUBLIC KEY-----): openssl pkey -in private.pem -pubout -out public.pem" }}
{{- end }}
{{- if lt (int $v.chat.terminationGracePeriodSeconds) (add (int $v.chat.preStopSleepSeconds) 20 | int) }}
{{- fail (printf "chat.terminationGracePeriodSeconds (%v) must be at least chat.preStopSleepSeconds + 20 (%v): shutdown delay 3 s + shutdown timeout 10 s + closing WebSockets with 1001" $v.chat.terminationGracePeriodSeconds (add (int $v.chat.preStopSleepSeconds) 20)) }}
{{- end }}
{{- if lt (int $v.history.terminationGracePeriodSeconds) (add (int $v.history.preStopSleepSeconds) 20 | int) }}
{{- fail (printf "history.terminationGracePeriodSeconds (%v) must be at least history.preStopSleepSeconds + 20 (%v): the ingest finishes its batch in hand (up to 15 s)" $v.history.terminationGracePeriodSeconds (add (int $v.history.preStopSleepSeconds) 20)) }}
{{- end }}
{{- range $c := list "chat" "history" }}
{{- $a := (index $v $c).autoscaling }}
{{- if and $a.enabled (gt (int $a.minReplicas) (int $a.maxReplicas)) }}
{{- fail (printf "%s.autoscaling.minReplicas (%v) exceeds maxReplicas (%v)" $c $a.minReplicas $a.maxReplicas) }}
{{- end }}
{{- end }}
{{- if and $v.ingress.enabled (not $v.ingress.host) }}
{{- fail "ingress.host is required when ingress.enabled" }}
{{- end }}
{{- end }}
