{{/*
Environment of each service: exactly the variables that service reads (README "Configuration"), each from the
ConfigMap (plain settings) or the Secret (credentials, URLs that may carry them).
*/}}

{{- define "chat-platform.env.fromConfig" -}}
- name: {{ .name }}
  valueFrom:
    configMapKeyRef:
      name: {{ include "chat-platform.configMapName" .root }}
      key: {{ .name }}
{{- end }}

{{- define "chat-platform.env.fromSecret" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "chat-platform.secretName" .root }}
      key: {{ .name }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end }}

{{/* Every service: Redis and the token checks. */}}
{{- define "chat-platform.env.common" -}}
{{ include "chat-platform.env.fromSecret" (dict "root" . "name" "QUARKUS_REDIS_HOSTS") }}
{{ include "chat-platform.env.fromSecret" (dict "root" . "name" "QUARKUS_REDIS_PASSWORD" "optional" true) }}
{{ include "chat-platform.env.fromConfig" (dict "root" . "name" "QUARKUS_REDIS_CLIENT_TYPE") }}
{{ include "chat-platform.env.fromConfig" (dict "root" . "name" "AUTH_JWT_ISSUER") }}
{{ include "chat-platform.env.fromConfig" (dict "root" . "name" "AUTH_JWT_AUDIENCE") }}
{{- end }}

{{- define "chat-platform.env.auth" -}}
{{ include "chat-platform.env.common" . }}
{{ include "chat-platform.env.fromConfig" (dict "root" . "name" "QUARKUS_DATASOURCE_JDBC_URL") }}
{{ include "chat-platform.env.fromSecret" (dict "root" . "name" "QUARKUS_DATASOURCE_USERNAME") }}
{{ include "chat-platform.env.fromSecret" (dict "root" . "name" "QUARKUS_DATASOURCE_PASSWORD" "optional" true) }}
{{ include "chat-platform.env.fromSecret" (dict "root" . "name" "AUTH_ADMIN_USERNAME") }}
{{ include "chat-platform.env.fromSecret" (dict "root" . "name" "AUTH_ADMIN_PASSWORD") }}
{{ include "chat-platform.env.fromConfig" (dict "root" . "name" "AUTH_TRUSTED_PROXIES") }}
{{- include "chat-platform.env.cors" . }}
- name: AUTH_JWT_KEY_DIR
  value: /etc/chat/jwt
{{- end }}

{{- define "chat-platform.env.chat" -}}
{{ include "chat-platform.env.common" . }}
{{ include "chat-platform.env.fromConfig" (dict "root" . "name" "MP_JWT_VERIFY_PUBLICKEY_LOCATION") }}
{{ include "chat-platform.env.fromConfig" (dict "root" . "name" "CHAT_LOG_PARTITIONS") }}
{{ include "chat-platform.env.fromSecret" (dict "root" . "name" "QUARKUS_MONGODB_CONNECTION_STRING") }}
{{ include "chat-platform.env.fromSecret" (dict "root" . "name" "MEDIA_URL_SECRET") }}
{{- if .Values.chat.webClient.enabled }}
{{ include "chat-platform.env.fromConfig" (dict "root" . "name" "CHAT_WEB_AUTH_URL") }}
{{ include "chat-platform.env.fromConfig" (dict "root" . "name" "CHAT_WEB_HISTORY_URL") }}
{{- end }}
{{- if .Values.chat.allowedOrigins }}
{{ include "chat-platform.env.fromConfig" (dict "root" . "name" "CHAT_ALLOWED_ORIGINS") }}
{{- end }}
{{- $root := . }}
{{- range $key, $name := dict "assignment" "CHAT_DESK_ASSIGNMENT" "agentCapacity" "CHAT_DESK_AGENT_CAPACITY" "reassignAfter" "CHAT_DESK_REASSIGN_AFTER" "firstResponse" "CHAT_DESK_FIRST_RESPONSE" "hours" "CHAT_DESK_HOURS" "offlineMessage" "CHAT_DESK_OFFLINE_MESSAGE" }}
{{- if index $root.Values.chat.desk $key }}
{{ include "chat-platform.env.fromConfig" (dict "root" $root "name" $name) }}
{{- end }}
{{- end }}
{{- end }}

{{- define "chat-platform.env.history" -}}
{{ include "chat-platform.env.common" . }}
{{ include "chat-platform.env.fromConfig" (dict "root" . "name" "MP_JWT_VERIFY_PUBLICKEY_LOCATION") }}
{{ include "chat-platform.env.fromConfig" (dict "root" . "name" "HISTORY_PARTITIONS") }}
{{ include "chat-platform.env.fromSecret" (dict "root" . "name" "QUARKUS_MONGODB_CONNECTION_STRING") }}
{{ include "chat-platform.env.fromConfig" (dict "root" . "name" "QUARKUS_MONGODB_DATABASE") }}
{{ include "chat-platform.env.fromSecret" (dict "root" . "name" "MEDIA_URL_SECRET") }}
{{ include "chat-platform.env.fromConfig" (dict "root" . "name" "HISTORY_MEDIA_MAX_BYTES") }}
{{ include "chat-platform.env.fromConfig" (dict "root" . "name" "HISTORY_HTTP_MAX_BODY_SIZE") }}
{{ include "chat-platform.env.fromConfig" (dict "root" . "name" "HISTORY_MEDIA_QUOTA_BYTES") }}
{{ include "chat-platform.env.fromConfig" (dict "root" . "name" "HISTORY_MEDIA_UNREFERENCED_AFTER") }}
{{- include "chat-platform.env.cors" . }}
{{- end }}

{{- define "chat-platform.env.cors" -}}
{{- if .Values.corsOrigins }}
{{ include "chat-platform.env.fromConfig" (dict "root" . "name" "CORS_ORIGINS") }}
{{- end }}
{{- end }}
