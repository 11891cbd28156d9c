{{- define "nextbest.name" -}}{{ .Release.Name }}-nextbest{{- end -}}
{{- define "nextbest.labels" -}}
app.kubernetes.io/name: nextbest
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
{{- define "nextbest.secret" -}}{{ .Values.existingSecret | default (include "nextbest.name" .) }}{{- end -}}
